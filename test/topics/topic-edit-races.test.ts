import { test } from "node:test";
import assert from "node:assert/strict";
import { actorOf, buildCommunity, buildTopic, describeEachDatabase, openingTransactionAfter } from "../helpers.ts";
import { setKudos } from "../reputation/support.ts";
import { editTopic } from "../../src/topics/topics.posting.ts";

// A member who may edit others' topics (by kudos) but not read hidden ones: a topic hidden after
// editTopic's checks and before its transaction (openingTransactionAfter) is no longer theirs to change.
describeEachDatabase("a topic edited while a moderator hides it", (env) => {
  test("the edit is refused (404) and nothing is saved; a visible topic takes the same edit", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, editor] = members.member;
    await setKudos(env(), community.id, editor.id, 1000);
    const hidden = await buildTopic(env(), slug, asker, { title: "Router drops Wi-Fi at night" });
    const visible = await buildTopic(env(), slug, asker, { title: "Router drops Wi-Fi by day" });
    const hide = async () => {
      const path = `/api/v1/posts/topic/${hidden.id}/hide`;
      const res = await env().api.post(path, { reason: "Spam" }, members.moderator[0].auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    const edit = { title: "Router drops Wi-Fi every night" };
    await assert.rejects(
      editTopic(openingTransactionAfter(env().deps, hide), hidden.id, actorOf(editor), edit),
      (error: { status?: number }) => error.status === 404,
    );
    const stored = (id: number) =>
      env()
        .deps.db.selectFrom("topics")
        .select(["title", "editedAt", "moderationState"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
    assert.deepEqual(await stored(hidden.id), {
      title: "Router drops Wi-Fi at night",
      editedAt: null,
      moderationState: "hidden",
    });
    const revisions = await env()
      .deps.db.selectFrom("revisions")
      .select("id")
      .where("targetType", "=", "topic")
      .where("targetId", "=", hidden.id)
      .execute();
    assert.equal(revisions.length, 0);

    await editTopic(env().deps, visible.id, actorOf(editor), edit);
    assert.equal((await stored(visible.id)).title, "Router drops Wi-Fi every night");
  });
});
