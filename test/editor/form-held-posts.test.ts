import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { attachmentsOf, jpeg, sendEditorForm } from "./support.ts";

/**
 * The edit forms with an image on a held, hidden or deleted post: the image is checked on the post as
 * the edit form's own route reads it, so it is stored exactly when the edit can go through.
 */

/** Enough kudos to edit others' posts (`reply.edit` from 1000). */
async function trust(env: TestEnv, communityId: number, userId: number) {
  await env.deps.db
    .insertInto("reputation")
    .values({ communityId, userId, kudos: 5000, balance: 5000, championSince: null, updatedAt: env.clock.now() })
    .execute();
}

describeEachDatabase("the editor's edit forms with an image on a held, hidden or deleted post", (env) => {
  test("a deleted reply: 404 before the image is stored, for its author and for a trusted member", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, trusted] = members.member;
    await trust(env(), community.id, trusted.id);
    const topic = await buildTopic(env(), slug, author);
    const reply = await buildReply(env(), topic.id, author, "An answer, deleted since.");
    await env().deps.db.updateTable("replies").set({ moderationState: "deleted" }).where("id", "=", reply.id).execute();
    for (const member of [author, trusted]) {
      const res = await sendEditorForm(env(), member, `/c/${slug}/r/${reply.id}/edit`, await jpeg(), {
        body: "Edited after all.",
      });
      assert.equal(res.status, 404, res.body.slice(0, 300));
      assert.deepEqual(await attachmentsOf(env(), member.id), [], "nothing stored or counted");
    }
  });

  test("a moderator's edit of a held topic or of a hidden reply takes the image, as it takes the text", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const author = members.member[0];
    const moderator = members.moderator[0];
    const held = await buildTopic(env(), slug, author);
    await env().deps.db.updateTable("topics").set({ moderationState: "pending" }).where("id", "=", held.id).execute();
    const topic = await buildTopic(env(), slug, author);
    const reply = await buildReply(env(), topic.id, author, "An answer, hidden for now.");
    await env().deps.db.updateTable("replies").set({ moderationState: "hidden" }).where("id", "=", reply.id).execute();

    const topicEdit = await sendEditorForm(env(), moderator, `/c/${slug}/t/${held.id}/edit`, await jpeg(), {
      title: "How do I reset my router to factory settings?",
      body: "Hold the reset button for ten seconds.",
      tags: "",
    });
    assert.equal(topicEdit.status, 303, topicEdit.body.slice(0, 300));
    const edited = await env()
      .deps.db.selectFrom("topics")
      .select("body")
      .where("id", "=", held.id)
      .executeTakeFirstOrThrow();
    assert.match(edited.body, /^Hold the reset button for ten seconds\.\n\n!\[router\]\(\/uploads\/attachments\//);

    const replyEdit = await sendEditorForm(env(), moderator, `/c/${slug}/r/${reply.id}/edit`, await jpeg(), {
      body: "A cleaned-up answer.",
    });
    assert.equal(replyEdit.status, 303, replyEdit.body.slice(0, 300));
    assert.equal((await attachmentsOf(env(), moderator.id)).length, 2);
  });
});
