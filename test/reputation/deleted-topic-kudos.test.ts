import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import {
  actOnQueuedPost,
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  type TestUser,
  until,
} from "../helpers.ts";
import { recordVote } from "../../src/reputation/reputation.kudos.ts";
import { assertTotalsMatchLedger, totals } from "./support.ts";

describeEachDatabase("reputation: a deleted topic", (env) => {
  test("takes back the kudos of its replies (votes, acceptance) with its own; other topics keep theirs", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 4 } });
    const [asker, helper, voter, flagger] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Free gift cards, click here" });
    const kept = await buildTopic(env(), slug, asker, { title: "Router keeps blinking red" });
    const answer = await buildReply(env(), topic.id, helper, "Yes, works for me.");
    const other = await buildReply(env(), topic.id, helper, "Also this one.");
    const keptReply = await buildReply(env(), kept.id, helper, "Restart the router.");
    const vote = (type: "topics" | "replies", id: number, by: TestUser) =>
      env().api.put(`/api/v1/${type}/${id}/vote`, { value: 1 }, by.auth);
    for (const [type, id] of [
      ["topics", topic.id],
      ["replies", answer.id],
      ["replies", other.id],
      ["replies", keptReply.id],
    ] as const)
      assert.equal((await vote(type, id, voter)).status, 200);
    const accepted = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: answer.id }, asker.auth);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 10 + 10 + 15 + 10);
    assert.equal((await totals(env(), community.id, asker.id)).kudos, 5);

    const flagged = await env().api.post(`/api/v1/posts/topic/${topic.id}/flags`, { reason: "spam" }, flagger.auth);
    assert.equal(flagged.status, 201, JSON.stringify(flagged.body));
    await actOnQueuedPost(env(), slug, admin, topic.id, "delete", { type: "topic" });

    assert.equal((await totals(env(), community.id, asker.id)).kudos, 0, "the topic's own upvote");
    assert.equal(
      (await totals(env(), community.id, helper.id)).kudos,
      10,
      "its replies' upvotes and acceptance go with it; the reply on another topic keeps its 10",
    );
    await assertTotalsMatchLedger(env(), community.id);
  });

  test("a vote on one of its replies withdrawn meanwhile is reversed once", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 4 } });
    const [asker, helper, voter, flagger] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Free gift cards, click here" });
    const reply = await buildReply(env(), topic.id, helper, "Yes, works for me.");
    assert.equal((await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, voter.auth)).status, 200);
    assert.equal(
      (await env().api.post(`/api/v1/posts/topic/${topic.id}/flags`, { reason: "spam" }, flagger.auth)).status,
      201,
    );
    const items = (await env().api.get(`/api/v1/communities/${slug}/review-queue`, admin.auth)).body.items as {
      id: number;
      post: { type: string; id: number };
    }[];
    const item = items.find((i) => i.post.type === "topic" && i.post.id === topic.id)!;
    let deleted!: Promise<{ status: number; body: unknown }>;
    // The voter withdraws their vote (its row locked, its kudos reversed, as topics' vote does) and
    // commits only once the topic's deletion waits for a lock.
    await env()
      .deps.db.transaction()
      .execute(async (trx) => {
        await sql`select id from replies where id = ${reply.id} for update`.execute(trx);
        await trx
          .deleteFrom("votes")
          .where("userId", "=", voter.id)
          .where("targetType", "=", "reply")
          .where("targetId", "=", reply.id)
          .execute();
        const ctx = { db: trx, dialect: env().deps.dialect, clock: env().clock };
        const vote = { communityId: community.id, topicId: topic.id, type: "reply" as const, targetId: reply.id };
        await recordVote(ctx, { ...vote, voterId: voter.id, authorId: helper.id, value: 0 });
        deleted = env().api.post(
          `/api/v1/communities/${slug}/review-queue/${item.id}`,
          { action: "delete" },
          admin.auth,
        );
        await until("the deletion waits for the vote", async () => {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(
            env().deps.db,
          );
          return rows[0].n > 0;
        });
      });
    const res = await deleted;
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 0);
    await assertTotalsMatchLedger(env(), community.id);
  });
});
