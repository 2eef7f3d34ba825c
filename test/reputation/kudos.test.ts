import { test } from "node:test";
import { sql } from "kysely";
import assert from "node:assert/strict";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { assertTotalsMatchLedger, DAY, patchSettings, totals } from "./support.ts";

const upvote = (env: TestEnv, type: "topics" | "replies", id: number, user: TestUser, value = 1) =>
  env.api.put(`/api/v1/${type}/${id}/vote`, { value }, user.auth);

async function entries(env: TestEnv, communityId: number, userId: number) {
  return env.deps.db
    .selectFrom("kudosEvents")
    .select(["reason", "amount", "reversesId"])
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .orderBy("id")
    .execute();
}

describeEachDatabase("kudos ledger", (env) => {
  test("defaults: reply +10 up, -2 down, topic +5 up, answer accepted +15; retracting reverses", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, voter] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    assert.equal((await upvote(env(), "replies", reply.id, voter)).status, 200);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 10);
    assert.equal((await upvote(env(), "replies", reply.id, voter, -1)).status, 200);
    assert.equal(
      (await totals(env(), community.id, helper.id)).kudos,
      -2,
      "a changed vote reverses +10 and records -2",
    );
    await upvote(env(), "replies", reply.id, voter, 0);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 0, "withdrawn: everything reversed");
    const ledger = await entries(env(), community.id, helper.id);
    assert.deepEqual(
      ledger.map((e) => [e.reason, Number(e.amount), e.reversesId !== null]),
      [
        ["reply.upvoted", 10, false],
        ["reply.upvoted", -10, true],
        ["reply.downvoted", -2, false],
        ["reply.downvoted", 2, true],
      ],
    );
    await upvote(env(), "topics", topic.id, voter);
    assert.equal((await totals(env(), community.id, asker.id)).kudos, 5);
    await upvote(env(), "topics", topic.id, helper, -1);
    assert.equal((await totals(env(), community.id, asker.id)).kudos, 5, "a topic downvote costs nothing by default");
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth)).status,
      200,
    );
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 15);
    assert.equal((await env().api.delete(`/api/v1/topics/${topic.id}/accept`, asker.auth)).status, 200);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 0, "un-accepting reverses");
    await assertTotalsMatchLedger(env(), community.id);
  });

  test("accepting another answer moves the kudos; one's own answer earns nothing; official bonus when set", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 3, staff: 1 } });
    const [asker, first, second] = members.member;
    const staff = members.staff[0];
    const topic = await buildTopic(env(), slug, asker);
    const a = await buildReply(env(), topic.id, first);
    const b = await buildReply(env(), topic.id, second);
    const own = await buildReply(env(), topic.id, asker, "I solved it myself.");
    await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: a.id }, asker.auth);
    await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: b.id }, asker.auth);
    assert.equal((await totals(env(), community.id, first.id)).kudos, 0);
    assert.equal((await totals(env(), community.id, second.id)).kudos, 15);
    await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: own.id }, asker.auth);
    assert.equal((await totals(env(), community.id, asker.id)).kudos, 0, "no kudos for accepting one's own reply");
    assert.equal((await totals(env(), community.id, second.id)).kudos, 0);
    await patchSettings(env(), slug, admin, "reputation", { points: { officialBonus: 5 } });
    const official = await buildReply(env(), topic.id, staff, "Official answer.");
    await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: official.id }, asker.auth);
    assert.equal((await totals(env(), community.id, staff.id)).kudos, 20, "accepted 15 + official bonus 5");
    await assertTotalsMatchLedger(env(), community.id);
  });

  test("an answer accepted, merged with its topic into another and accepted there earns its 15 once", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [firstAsker, secondAsker, helper] = members.member;
    const [moderator] = members.moderator;
    const source = await buildTopic(env(), slug, firstAsker, { title: "Router keeps blinking red" });
    const target = await buildTopic(env(), slug, secondAsker, { title: "Router blinking red light" });
    const reply = await buildReply(env(), source.id, helper);
    const accept = (topicId: number, by: TestUser) =>
      env().api.post(`/api/v1/topics/${topicId}/accept`, { replyId: reply.id }, by.auth);
    assert.equal((await accept(source.id, firstAsker)).status, 200);
    const merged = await env().api.post(
      `/api/v1/topics/${source.id}/merge`,
      { intoTopicId: target.id },
      moderator.auth,
    );
    assert.equal(merged.status, 200);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 15, "the merge keeps the acceptance earned");
    assert.equal((await accept(target.id, secondAsker)).status, 200);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 15);
    const unaccepted = await env().api.delete(`/api/v1/topics/${target.id}/accept`, secondAsker.auth);
    assert.equal(unaccepted.status, 200);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 0, "one acceptance, reversed once");
    await assertTotalsMatchLedger(env(), community.id);
  });

  test("community admins change the values; only they may, and only to valid ones", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, voter] = members.member;
    const defaults = await env().api.get(`/api/v1/communities/${slug}/settings/reputation`);
    assert.deepEqual(defaults.body.settings.points, {
      replyUpvoted: 10,
      replyDownvoted: -2,
      answerAccepted: 15,
      topicUpvoted: 5,
      topicDownvoted: 0,
      officialBonus: 0,
    });
    assert.equal(defaults.body.settings.dailyVoteCap, 200);
    for (const who of [helper, members.moderator[0]]) {
      assert.equal(
        (
          await env().api.patch(
            `/api/v1/communities/${slug}/settings/reputation`,
            { points: { replyUpvoted: 50 } },
            who.auth,
          )
        ).status,
        403,
      );
    }
    for (const bad of [
      { points: { replyUpvoted: 1.5 } },
      { ranks: [{ name: "A", minKudos: 10 }] },
      {
        ranks: [
          { name: "A", minKudos: 0 },
          { name: "B", minKudos: 0 },
        ],
      },
      { dailyVoteCap: -1 },
      { thresholds: { "post.links": "x" } },
      { thresholds: { constructor: 5 } },
      { thresholds: { toString: 5 } },
    ]) {
      assert.equal(
        (await env().api.patch(`/api/v1/communities/${slug}/settings/reputation`, bad, admin.auth)).status,
        422,
        JSON.stringify(bad),
      );
    }
    await patchSettings(env(), slug, admin, "reputation", { points: { replyUpvoted: 25 } });
    const after = await env().api.get(`/api/v1/communities/${slug}/settings/reputation`);
    assert.equal(after.body.settings.points.replyUpvoted, 25);
    assert.equal(after.body.settings.points.answerAccepted, 15, "unchanged values keep their default");
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    await upvote(env(), "replies", reply.id, voter);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 25);
    const audit = await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth);
    assert.ok(audit.body.entries.some((e: { action: string }) => e.action === "settings.reputation"));
  });

  test("kudos from votes stop at the daily cap of 200 and start again the next day", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await buildReply(env(), topic.id, helper, `Answer number ${i}`));
    const voters: TestUser[] = [];
    for (let i = 0; i < 8; i++) voters.push(await buildUser(env()));
    for (const reply of replies)
      for (const voter of voters) assert.equal((await upvote(env(), "replies", reply.id, voter)).status, 200);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 200, "24 upvotes would be 240");
    const accepted = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: replies[0].id }, asker.auth);
    assert.equal(accepted.status, 200);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 215, "the accepted answer is not capped");
    env().clock.advance(DAY);
    const late = await buildUser(env());
    await upvote(env(), "replies", replies[1].id, late);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 225);
    await assertTotalsMatchLedger(env(), community.id);
  });

  test("votes between linked accounts (same sign-up address within a day) are refused", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const asker = members.member[0];
    const main = await buildUser(env(), { signupIp: "198.51.100.9" });
    const sock = await buildUser(env(), { signupIp: "198.51.100.9" });
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, main);
    const res = await upvote(env(), "replies", reply.id, sock);
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "forbidden");
    assert.match(res.body.error.message, /linked to yours/);
    assert.equal((await totals(env(), community.id, main.id)).kudos, 0);
    assert.equal(
      (await env().api.get(`/api/v1/topics/${topic.id}`)).body.replies[0].score,
      0,
      "the vote was not recorded",
    );
    // The same address a week apart is not linked.
    env().clock.advance(7 * DAY);
    const neighbour = await buildUser(env(), { signupIp: "198.51.100.9" });
    assert.equal((await upvote(env(), "replies", reply.id, neighbour)).status, 200);
    assert.equal((await totals(env(), community.id, main.id)).kudos, 10);
    // A linked asker accepting the other account's answer gives no kudos either.
    const question = await buildTopic(env(), slug, sock, { title: "Second account asks here" });
    const answer = await buildReply(env(), question.id, main);
    assert.equal(
      (await env().api.post(`/api/v1/topics/${question.id}/accept`, { replyId: answer.id }, sock.auth)).status,
      200,
    );
    assert.equal((await totals(env(), community.id, main.id)).kudos, 10);
  });

  test("a voting ring: more than 5 upvotes a week from one member to another are refused", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, friend, other] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await buildReply(env(), topic.id, friend, `Reply ${i} from the friend`));
    for (const reply of replies.slice(0, 5))
      assert.equal((await upvote(env(), "replies", reply.id, asker)).status, 200);
    const sixth = await upvote(env(), "replies", replies[5].id, asker);
    assert.equal(sixth.status, 403);
    assert.match(sixth.body.error.message, /voting rings/);
    assert.equal(
      (await upvote(env(), "replies", replies[0].id, asker)).status,
      200,
      "re-sending an existing upvote is no new vote",
    );
    assert.equal((await upvote(env(), "replies", replies[5].id, other)).status, 200, "other members are not affected");
    assert.equal((await totals(env(), community.id, friend.id)).kudos, 60);
    env().clock.advance(8 * DAY);
    assert.equal((await upvote(env(), "replies", replies[5].id, asker)).status, 200, "the window moves on");
  });

  test("totals equal the ledger after a random sequence of votes, accepts, redemptions and rejections", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 5, staff: 1 } });
    const people = members.member;
    const staff = members.staff[0];
    const reward = (
      await env().api.post(`/api/v1/communities/${slug}/rewards`, { name: "Sticker pack", price: 5 }, staff.auth)
    ).body.reward;
    const topics = [];
    for (const [i, asker] of people.slice(0, 3).entries())
      topics.push(await buildTopic(env(), slug, asker, { title: `Random topic number ${i}` }));
    const replies: { id: number; topicId: number; authorId: number }[] = [];
    for (const topic of topics)
      for (const helper of people.slice(2))
        replies.push({
          ...(await buildReply(env(), topic.id, helper, `Answer by ${helper.id} to ${topic.id}`)),
          topicId: topic.id,
        });
    let seed = 20260101;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const statuses = new Set<number>();
    for (let step = 0; step < 150; step++) {
      const actor = people[random(people.length)];
      const choice = random(5);
      if (choice < 2) {
        const reply = replies[random(replies.length)];
        statuses.add((await upvote(env(), "replies", reply.id, actor, [1, -1, 0][random(3)])).status);
      } else if (choice === 2) {
        statuses.add(
          (await upvote(env(), "topics", topics[random(topics.length)].id, actor, [1, -1, 0][random(3)])).status,
        );
      } else if (choice === 3) {
        const topic = topics[random(topics.length)];
        const candidates = replies.filter((r) => r.topicId === topic.id);
        const asker = people.find((p) => p.id === topic.author.id)!;
        const res =
          random(4) === 0
            ? await env().api.delete(`/api/v1/topics/${topic.id}/accept`, asker.auth)
            : await env().api.post(
                `/api/v1/topics/${topic.id}/accept`,
                { replyId: candidates[random(candidates.length)].id },
                asker.auth,
              );
        statuses.add(res.status);
      } else {
        const res = await env().api.post(
          `/api/v1/communities/${slug}/rewards/${reward.id}/redeem`,
          { idempotencyKey: `random-step-${step}` },
          actor.auth,
        );
        statuses.add(res.status);
        if (res.status === 201 && random(2) === 0)
          await env().api.post(
            `/api/v1/communities/${slug}/redemptions/${res.body.redemption.id}/reject`,
            {},
            staff.auth,
          );
      }
      if (step % 25 === 0) env().clock.advance(DAY / 3);
      if (step % 10 === 9) await assertTotalsMatchLedger(env(), community.id);
    }
    assert.ok(
      [...statuses].every((s) => [200, 201, 403, 409].includes(s)),
      [...statuses].join(","),
    );
    assert.ok(statuses.has(201) && statuses.has(200), "the sequence redeemed and voted");
    await assertTotalsMatchLedger(env(), community.id);
    // Totals can be rebuilt from the ledger: damage one and recompute.
    await env()
      .deps.db.updateTable("reputation")
      .set({ kudos: 999_999 })
      .where("communityId", "=", community.id)
      .where("userId", "=", people[3].id)
      .execute();
    const recomputed = await env().api.post(`/api/v1/communities/${slug}/kudos/recompute`, {}, admin.auth);
    assert.equal(recomputed.status, 200);
    assert.equal(recomputed.body.corrected, 1);
    await assertTotalsMatchLedger(env(), community.id);
  });

  test("a vote landing while an admin recomputes the totals is kept", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, voter] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    assert.equal((await upvote(env(), "replies", reply.id, voter)).status, 200);
    // The helper's total is damaged, so the recompute corrects it.
    await env()
      .deps.db.updateTable("reputation")
      .set({ kudos: 999 })
      .where("communityId", "=", community.id)
      .where("userId", "=", helper.id)
      .execute();
    // A ledger entry for the helper is under way (their row locked, as every entry does) when the
    // recompute starts, and commits while the recompute waits.
    let recomputed!: Promise<{ status: number; body: { corrected: number } }>;
    await env()
      .deps.db.transaction()
      .execute(async (trx) => {
        await sql`select user_id from reputation where community_id = ${community.id} and user_id = ${helper.id}
          for update`.execute(trx);
        recomputed = env().api.post(`/api/v1/communities/${slug}/kudos/recompute`, {}, admin.auth);
        await new Promise((resolve) => setTimeout(resolve, 400));
        await trx
          .insertInto("kudosEvents")
          .values({
            communityId: community.id,
            userId: helper.id,
            actorId: admin.id,
            reason: "official.bonus",
            amount: 7,
            kind: "earn",
            fromVotes: 0,
            sourceKey: "test:bonus",
            topicId: null,
            createdAt: env().clock.now(),
          })
          .execute();
        await trx
          .updateTable("reputation")
          .set((eb) => ({ kudos: eb("kudos", "+", 7), balance: eb("balance", "+", 7) }))
          .where("communityId", "=", community.id)
          .where("userId", "=", helper.id)
          .execute();
      });
    const res = await recomputed;
    assert.equal(res.status, 200);
    assert.equal(res.body.corrected, 1);
    await assertTotalsMatchLedger(env(), community.id);
  });
});
