import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { attachmentsOf, jpeg, sendEditorForm } from "./support.ts";

// The edit forms of someone else's topic or reply, sent with an image by a member who may read the
// post but not edit it: refused (403) before the image is stored or counted.
describeEachDatabase("the editor's edit forms with an image on someone else's post", (env) => {
  test("are 403 and store nothing; the author's own edit takes the image", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, other] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const reply = await buildReply(env(), topic.id, author, "Unplug it for a minute.");
    for (const url of [`/c/${slug}/t/${topic.id}/edit`, `/c/${slug}/r/${reply.id}/edit`]) {
      const res = await sendEditorForm(env(), other, url, await jpeg(), { body: "My own words now." });
      assert.equal(res.status, 403, `${url}: ${res.body.slice(0, 300)}`);
    }
    assert.deepEqual(await attachmentsOf(env(), other.id), [], "nothing stored or counted");
    const stored = await env()
      .deps.db.selectFrom("replies")
      .select("body")
      .where("id", "=", reply.id)
      .executeTakeFirst();
    assert.equal(stored?.body, "Unplug it for a minute.");

    const own = await sendEditorForm(env(), author, `/c/${slug}/r/${reply.id}/edit`, await jpeg(), {
      body: "Unplug it for a minute, like this.",
    });
    assert.equal(own.status, 303, own.body.slice(0, 300));
    assert.equal((await attachmentsOf(env(), author.id)).length, 1);
  });
});
