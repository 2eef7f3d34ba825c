import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { attachmentsOf, jpeg, sendEditorForm } from "./support.ts";

// A reply form sent with an image, without JavaScript, where the reply itself cannot go: the image
// follows the reply form, neither stored for a reply that is refused nor lost with the text.
describeEachDatabase("the reply form's image where the reply cannot go", (env) => {
  test("a locked topic or a category only staff answer: 403 with the text, nothing stored or counted", async () => {
    const { slug, categories, members } = await buildCommunity(env(), {
      categories: ["General", "Announcements"],
      members: { member: 2, moderator: 1 },
    });
    const [asker, other] = members.member;
    const locked = await buildTopic(env(), slug, asker);
    const lock = await env().api.put(`/api/v1/topics/${locked.id}/lock`, {}, members.moderator[0].auth);
    assert.equal(lock.status, 200);
    const announcements = categories[1].id;
    await env()
      .deps.db.updateTable("categories")
      .set({ scope: "staff_only" })
      .where("id", "=", announcements)
      .execute();
    const staffOnly = await buildTopic(env(), slug, asker, { categoryId: announcements });
    for (const topic of [locked, staffOnly]) {
      const res = await sendEditorForm(env(), other, `/c/${slug}/t/${topic.id}/reply`, await jpeg(), {
        body: "Unplug it for a minute.",
      });
      assert.equal(res.status, 403, res.body.slice(0, 300));
      assert.match(res.body, /Your reply was not posted: you cannot reply to this topic now/);
      assert.match(res.body, /Unplug it for a minute\.<\/textarea>/, "the text, to copy");
    }
    assert.deepEqual(await attachmentsOf(env(), other.id), [], "nothing stored or counted");
  });

  test("a topic merged while the member typed: back on the topic it went into, the image in the text", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const original = await buildTopic(env(), slug, asker);
    const duplicate = await buildTopic(env(), slug, asker);
    const merged = await env().api.post(
      `/api/v1/topics/${duplicate.id}/merge`,
      { intoTopicId: original.id },
      members.moderator[0].auth,
    );
    assert.equal(merged.status, 200);

    const res = await sendEditorForm(env(), helper, `/c/${slug}/t/${duplicate.id}/reply`, await jpeg(), {
      body: "Unplug it for a minute.",
    });
    assert.equal(res.status, 409, res.body.slice(0, 300));
    assert.match(res.body, /the topic was merged into this one while you typed/);
    assert.match(res.body, new RegExp(`<form method="post" action="/c/${slug}/t/${original.id}/reply"`));
    assert.match(
      res.body,
      /Unplug it for a minute\.\n\n!\[router\]\(\/uploads\/attachments\/[0-9a-f]+-64x48\.webp\)<\/textarea>/,
      "the text with its image, to send there",
    );
    assert.equal((await attachmentsOf(env(), helper.id)).length, 1);
  });
});
