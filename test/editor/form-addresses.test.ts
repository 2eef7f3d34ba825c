import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { attachmentsOf, jpeg, sendEditorForm } from "./support.ts";

/** The address an editor form is sent to, read as the form's own route reads it, also when it carries an image. */

describeEachDatabase("the editor's forms with an image: the address as the form reads it", (env) => {
  test("a reply and an edit under the community's address in capitals go through with their image", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const upper = slug.toUpperCase();

    const replied = await sendEditorForm(env(), helper, `/c/${upper}/t/${topic.id}/reply`, await jpeg(), {
      body: "Look at the lights on the back.",
    });
    assert.equal(replied.status, 303, replied.body.slice(0, 300));
    const reply = await env()
      .deps.db.selectFrom("replies")
      .select(["id", "body"])
      .where("topicId", "=", topic.id)
      .executeTakeFirstOrThrow();
    assert.match(
      reply.body,
      /^Look at the lights on the back\.\n\n!\[router\]\(\/uploads\/attachments\/[a-f0-9]+-64x48\.webp\)$/,
    );

    const edited = await sendEditorForm(env(), helper, `/c/${upper}/r/${reply.id}/edit`, await jpeg(), {
      body: "Look at the lights on the back: both green?",
    });
    assert.equal(edited.status, 303, edited.body.slice(0, 300));
    const after = await env()
      .deps.db.selectFrom("replies")
      .select("body")
      .where("id", "=", reply.id)
      .executeTakeFirstOrThrow();
    assert.match(after.body, /^Look at the lights on the back: both green\?\n\n!\[router\]/);
    assert.equal((await attachmentsOf(env(), helper.id)).length, 2);
  });

  test("an id past the id column's range is not found (404, not 500), and nothing is stored", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    await buildReply(env(), topic.id, helper);
    for (const url of [`/c/${slug}/t/99999999999/reply`, `/c/${slug}/r/99999999999/edit`]) {
      const res = await sendEditorForm(env(), helper, url, await jpeg(), { body: "Unplug it for a minute." });
      assert.equal(res.status, 404, `${url}: ${res.body.slice(0, 300)}`);
    }
    assert.equal((await attachmentsOf(env(), helper.id)).length, 0);
  });
});
