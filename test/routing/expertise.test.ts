import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { answerWeight, buildProfile, decay, EXPERTISE, rankExperts, topicKeys } from "../../src/routing/expertise.ts";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
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
  },
  roomyLimits,
);
