import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { answer, ask, buildHistory, questionsFor, roomyLimits, routedTo } from "./support.ts";

const DAY = 86_400_000;

/** How many `routed` notifications about the topic the expert's list shows. */
async function routedShown(env: TestEnv, expert: TestUser, topicId: number): Promise<number> {
  const { notifications } = (await env.api.get("/api/v1/notifications", expert.auth)).body;
  return notifications.filter((n: { kind: string; topicId: number }) => n.kind === "routed" && n.topicId === topicId)
    .length;
}

describeEachDatabase(
  "routed offers lapse when their expert or their question no longer qualifies",
  (env) => {
    /** A community whose one email expert was just offered a new question. */
    async function offered(settings: Record<string, number> = {}) {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 4 } });
      const [asker, expert, poster, other] = members.member;
      if (Object.keys(settings).length)
        await env().api.put(`/api/v1/communities/${slug}/routing/settings`, settings, admin.auth);
      await buildHistory(env(), slug, asker, expert, ["email"], 3);
      const topic = await ask(env(), slug, poster, { tags: ["email"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [expert.id]);
      assert.equal(await routedShown(env(), expert, topic.id), 1);
      return { slug, admin, expert, other, topic };
    }

    test("opting out ends the member's open offers and their routed notification at once", async () => {
      const { expert, topic } = await offered();
      assert.equal((await env().api.put("/api/v1/me/routing", { optedOut: true }, expert.auth)).status, 200);
      assert.deepEqual(await routedTo(env(), topic.id), [], "the offer ended");
      assert.deepEqual(await questionsFor(env(), expert), []);
      assert.equal(await routedShown(env(), expert, topic.id), 0, "the notification lapsed");
      await env().api.put("/api/v1/me/routing", { optedOut: false }, expert.auth);
      assert.deepEqual(await routedTo(env(), topic.id), [], "opting back in restores no offer");
    });

    test("a suspension ends the member's open offers and their routed notification; lifting it restores none", async () => {
      const { slug, admin, expert, topic } = await offered();
      const suspended = await env().api.put(
        `/api/v1/communities/${slug}/members/${expert.id}/suspension`,
        { days: 3, reason: "Posting spam links." },
        admin.auth,
      );
      assert.equal(suspended.status, 200);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [], "the offer ended");
      assert.deepEqual(await questionsFor(env(), expert), []);
      assert.equal(await routedShown(env(), expert, topic.id), 0, "the notification lapsed");
      await env().api.delete(`/api/v1/communities/${slug}/members/${expert.id}/suspension`, admin.auth);
      assert.deepEqual(await questionsFor(env(), expert), [], "no offer comes back");
    });

    test("an abandoned question's routed notification lapses with the offer", async () => {
      // The offer outlives the 14 days after which an unanswered asker's question is abandoned.
      const { expert, other, topic } = await offered({ rerouteAfterMinutes: 30 * 24 * 60 });
      await answer(env(), topic.id, other);
      await drainJobs(env());
      env().clock.advance(15 * DAY);
      await drainJobs(env());
      const read = await env().api.get(`/api/v1/topics/${topic.id}`, expert.auth);
      assert.equal(read.body.topic?.status ?? read.body.status, "abandoned");
      assert.deepEqual(await questionsFor(env(), expert), []);
      assert.equal(await routedShown(env(), expert, topic.id), 0, "the notification lapsed");
    });
  },
  roomyLimits,
);
