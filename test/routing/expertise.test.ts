import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  answerWeight,
  buildProfile,
  decay,
  EXPERTISE,
  rankExperts,
  similarAnswerers,
  topicKeys,
} from "../../src/routing/expertise.ts";
import { earlierQuestions } from "../../src/routing/expertise.service.ts";
import { TEST_PASSWORD, buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { answer, ask, roomyLimits } from "./support.ts";

const DAY = 86_400_000;

describe("expertise model", () => {
  test("an accepted answer weighs more than an upvoted one, which weighs more than a plain or downvoted one", () => {
    const plain = answerWeight({ score: 0, accepted: false });
    assert.ok(answerWeight({ score: 0, accepted: true }) > answerWeight({ score: 2, accepted: false }));
    assert.ok(answerWeight({ score: 2, accepted: false }) > plain);
    assert.ok(answerWeight({ score: -5, accepted: false }) < plain);
    assert.equal(answerWeight({ score: -50, accepted: false }), EXPERTISE.floor);
    assert.equal(
      answerWeight({ score: 1000, accepted: false }),
      answerWeight({ score: EXPERTISE.voteCap, accepted: false }),
      "votes are capped",
    );
  });

  test("contributions decay with age: half after the half-life", () => {
    assert.equal(decay(0), 1);
    assert.ok(Math.abs(decay(EXPERTISE.halfLifeDays * DAY) - 0.5) < 1e-12);
    const now = Date.UTC(2026, 5, 1);
    const profile = buildProfile(
      [
        { createdAt: now, score: 0, accepted: false, keys: ["tag:wifi", "word:router"] },
        { createdAt: now - EXPERTISE.halfLifeDays * DAY, score: 0, accepted: false, keys: ["tag:wifi"] },
      ],
      now,
    );
    assert.equal(profile.get("tag:wifi"), 1.5);
    assert.equal(profile.get("word:router"), 1);
  });

  test("a topic's keys: its tags, its category and the main words of its title, stemmed, stop words left out", () => {
    assert.deepEqual(
      topicKeys({ tags: ["wifi", "router"], categoryId: 7, title: "How do I reset my Routers and the 5 GHz band?" }),
      ["tag:wifi", "tag:router", "cat:7", "word:reset", "word:router", "word:ghz", "word:band"],
    );
  });

  test("experts ranked by their decayed expertise in the question's keys; tags count more than title words, rare keys more than common ones", () => {
    const now = Date.UTC(2026, 5, 1);
    const entries = [
      { userId: 1, key: "tag:wifi", score: 2, asOf: now },
      { userId: 2, key: "tag:wifi", score: 4, asOf: now - 2 * EXPERTISE.halfLifeDays * DAY }, // 1 today
      { userId: 3, key: "word:router", score: 2, asOf: now },
      { userId: 4, key: "tag:tv-box", score: 9, asOf: now },
    ];
    const ranked = rankExperts(["tag:wifi", "word:router"], entries, now);
    assert.deepEqual(
      ranked.map((r) => r.userId),
      [1, 3, 2],
    );
    // Two of the three members holding a question key hold tag:wifi: it counts ln(1 + 3/2) (issue #17: rarity).
    assert.ok(Math.abs(ranked[2].score - Math.log(1 + 3 / 2)) < 1e-12);
  });

  test("answerers of similar earlier questions are credited: the nearest and latest most, the accepted one more", () => {
    const now = Date.UTC(2026, 5, 1);
    const mesh = topicKeys({ tags: ["wifi"], categoryId: null, title: "Mesh satellite pairing fails after upgrade" });
    const earlier = [
      {
        keys: mesh,
        createdAt: now - DAY,
        answerers: [
          { userId: 1, accepted: true },
          { userId: 2, accepted: false },
        ],
      },
      { keys: mesh, createdAt: now - 60 * DAY, answerers: [{ userId: 3, accepted: true }] },
      {
        keys: topicKeys({ tags: ["router"], categoryId: null, title: "Slow mesh in the evening" }),
        createdAt: now - DAY,
        answerers: [{ userId: 4, accepted: true }],
      },
      {
        keys: topicKeys({ tags: ["tv-box"], categoryId: null, title: "Remote control lost" }),
        createdAt: now - DAY,
        answerers: [{ userId: 5, accepted: true }],
      },
    ];
    const question = topicKeys({ tags: ["wifi"], categoryId: null, title: "Mesh satellite pairing fails" });
    const credit = similarAnswerers(question, earlier, now);
    assert.equal(credit.get(1), EXPERTISE.neighbourAccepted * credit.get(2)!);
    assert.ok(credit.get(2)! > credit.get(4)!, "a question sharing one word is less alike");
    assert.ok(credit.get(2)! > credit.get(3)!, "the same question asked two months ago counts less");
    assert.ok(!credit.has(5), "nothing in common, no credit");
  });

  test("between equal experts, the answerer of a very similar earlier question is routed first", () => {
    const now = Date.UTC(2026, 5, 1);
    const entries = [1, 2].map((userId) => ({ userId, key: "tag:wifi", score: 2, asOf: now }));
    assert.deepEqual(
      rankExperts(["tag:wifi"], entries, now).map((r) => r.userId),
      [1, 2],
    );
    const ranked = rankExperts(["tag:wifi"], entries, now, { neighbours: new Map([[2, 0.8]]) });
    assert.deepEqual(
      ranked.map((r) => r.userId),
      [2, 1],
    );
    assert.ok(Math.abs(ranked[0].score - ranked[1].score * (1 + EXPERTISE.neighbourWeight)) < 1e-9);
  });
});

describeEachDatabase(
  "expertise kept up to date by jobs",
  (env) => {
    test("an answer, then its upvote and acceptance raise the answerer's stored expertise; answers to one's own questions do not count", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, expert, voter] = members.member;
      const stored = async (userId: number) => {
        const row = await env()
          .deps.db.selectFrom("memberExpertise")
          .select("score")
          .where("communityId", "=", community.id)
          .where("userId", "=", userId)
          .where("key", "=", "tag:fiber")
          .executeTakeFirst();
        return row ? Number(row.score) : 0;
      };
      const topic = await ask(env(), slug, asker, { tags: ["fiber"] });
      const reply = await answer(env(), topic.id, expert);
      assert.equal(await stored(expert.id), 0, "updated by the queue, not the request");
      await drainJobs(env());
      const afterAnswer = await stored(expert.id);
      assert.equal(afterAnswer, answerWeight({ score: 0, accepted: false }));
      await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, voter.auth);
      await drainJobs(env());
      const afterVote = await stored(expert.id);
      assert.ok(afterVote > afterAnswer);
      await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
      await drainJobs(env());
      assert.equal(await stored(expert.id), answerWeight({ score: 1, accepted: true }));
      await env().api.delete(`/api/v1/topics/${topic.id}/accept`, asker.auth);
      await drainJobs(env());
      assert.equal(await stored(expert.id), afterVote, "withdrawing the solution takes its weight back");

      await answer(env(), topic.id, asker);
      await drainJobs(env());
      assert.equal(await stored(asker.id), 0);
    });

    test("earlier questions for similarity: the answered ones before the routed question, with their answerers", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, expert, other] = members.member;
      const solved = await ask(env(), slug, asker, { title: "Mesh satellite pairing fails", tags: ["wifi"] });
      const accepted = await answer(env(), solved.id, expert);
      await answer(env(), solved.id, other);
      await answer(env(), solved.id, asker);
      await env().api.post(`/api/v1/topics/${solved.id}/accept`, { replyId: accepted.id }, asker.auth);
      const onlyTheAsker = await ask(env(), slug, asker, { tags: ["wifi"] });
      await answer(env(), onlyTheAsker.id, asker);
      await ask(env(), slug, asker, { tags: ["wifi"] });
      const routed = await ask(env(), slug, other, { tags: ["wifi"] });
      await answer(env(), routed.id, expert);
      const earlier = await earlierQuestions(
        env().deps.db,
        { id: routed.id, communityId: community.id, locale: "en" },
        env().deps.clock.now() + 1,
      );
      assert.equal(earlier.length, 1, "unanswered, self-answered and the routed question itself left out");
      assert.ok(earlier[0].keys.includes("word:mesh") && earlier[0].keys.includes("tag:wifi"));
      assert.deepEqual(
        earlier[0].answerers.sort((a, b) => a.userId - b.userId),
        [
          { userId: expert.id, accepted: true },
          { userId: other.id, accepted: false },
        ].sort((a, b) => a.userId - b.userId),
      );
    });

    test("a vote on a deleted member's answer does not write their erased expertise back", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, expert, voter] = members.member;
      const topic = await ask(env(), slug, asker, { tags: ["fiber"] });
      const reply = await answer(env(), topic.id, expert);
      await drainJobs(env());
      const rows = async () =>
        (
          await env()
            .deps.db.selectFrom("memberExpertise")
            .select("key")
            .where("communityId", "=", community.id)
            .where("userId", "=", expert.id)
            .execute()
        ).length;
      assert.ok((await rows()) > 0);
      const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, expert.auth);
      assert.equal(deleted.status, 204);
      assert.equal(await rows(), 0, "erased with the account");
      assert.equal((await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, voter.auth)).status, 200);
      await drainJobs(env());
      assert.equal(await rows(), 0);
    });
  },
  roomyLimits,
);
