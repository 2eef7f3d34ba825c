import { test } from "node:test";
import assert from "node:assert/strict";
import { type KyselyPlugin, sql } from "kysely";
import {
  actOnQueuedPost,
  approveHeldPost,
  buildCommunity,
  describeEachDatabase,
  TEST_PASSWORD,
  type TestEnv,
  type TestUser,
  until,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { patchSettings } from "../reputation/support.ts";
import { followRoutedAnswer, scheduleRouting } from "../../src/routing/routing.service.ts";
import {
  answer,
  ask,
  buildHistory,
  notifiedOf,
  oneExpertPerRound,
  questionsFor,
  roomyLimits,
  routedTo,
  secondRoundDueNow,
} from "./support.ts";

const MINUTE = 60_000;

/** One member's offer of a topic as stored: whether it is there, answered, ended. */
async function offerOf(env: TestEnv, topicId: number, user: TestUser) {
  const row = await env.deps.db
    .selectFrom("topicRoutes")
    .select(["answeredAt", "expiredAt"])
    .where("topicId", "=", topicId)
    .where("userId", "=", user.id)
    .executeTakeFirst();
  return row && { answered: row.answeredAt !== null, ended: row.expiredAt !== null };
}

/** The community's routing statistics over the default range (the twelve weeks up to today). */
async function statsTotal(env: TestEnv, slug: string, admin: TestUser) {
  const res = await env.api.get(`/api/v1/communities/${slug}/stats/routing?period=week`, admin.auth);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.total as { questions: number; routedQuestions: number; answeredByRoutedExpert: number };
}

/** The `routed` notifications about the topic the member's list shows. */
async function routedShown(env: TestEnv, user: TestUser, topicId: number): Promise<number> {
  const { notifications } = (await env.api.get("/api/v1/notifications", user.auth)).body;
  return notifications.filter((n: { kind: string; topicId: number }) => n.kind === "routed" && n.topicId === topicId)
    .length;
}

describeEachDatabase(
  "routing: known gaps (answers moderated, retried rounds, approval, account deletion)",
  (env) => {
    const moderate = (admin: TestUser, replyId: number, action: "hide" | "restore") =>
      env().api.post(`/api/v1/posts/reply/${replyId}/${action}`, { reason: "Checking this answer" }, admin.auth);

    test("a routed expert's answer hidden stops counting (stats, re-offering); restored, it counts again", async () => {
      const { slug, admin, first, second, poster } = await oneExpertPerRound(env(), "modem-gap1");
      const topic = await ask(env(), slug, poster, { tags: ["modem-gap1"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [first.id]);
      const reply = await answer(env(), topic.id, first);
      await drainJobs(env());
      const answered = await statsTotal(env(), slug, admin);
      // The next round's timer comes and finds the question answered by a routed expert: routing stops.
      env().clock.advance(60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [first.id], "no second round");

      assert.equal((await moderate(admin, reply.id, "hide")).status, 200);
      await drainJobs(env());
      assert.deepEqual(await offerOf(env(), topic.id, first), { answered: false, ended: true });
      const hidden = await statsTotal(env(), slug, admin);
      assert.equal(hidden.answeredByRoutedExpert, answered.answeredByRoutedExpert - 1, "no longer a routed answer");
      assert.equal(hidden.routedQuestions, answered.routedQuestions, "still a routed question");
      // Re-offered at once (the clock has not moved): the next expert is asked and told.
      assert.deepEqual(await routedTo(env(), topic.id), [second.id]);
      assert.deepEqual(await questionsFor(env(), second), [topic.id]);
      assert.deepEqual(await notifiedOf(env(), topic.id, [second]), [second.id]);
      assert.deepEqual(await questionsFor(env(), first), [], "not offered again to the one whose answer was hidden");

      assert.equal((await moderate(admin, reply.id, "restore")).status, 200);
      await drainJobs(env());
      assert.deepEqual(await offerOf(env(), topic.id, first), { answered: true, ended: true });
      assert.deepEqual(await offerOf(env(), topic.id, second), { answered: false, ended: true }, "withdrawn again");
      assert.deepEqual(await questionsFor(env(), second), []);
      assert.deepEqual(await statsTotal(env(), slug, admin), answered, "the statistics are as before the hide");
    });

    test("a routed answer counts while one of the expert's replies stays visible; deleted too, it stops", async () => {
      const { slug, admin, first, second, poster } = await oneExpertPerRound(env(), "modem-gap1b");
      const topic = await ask(env(), slug, poster, { tags: ["modem-gap1b"] });
      await drainJobs(env());
      const kept = await answer(env(), topic.id, first);
      const hidden = await answer(env(), topic.id, first);
      await drainJobs(env());
      assert.equal((await moderate(admin, hidden.id, "hide")).status, 200);
      await drainJobs(env());
      assert.deepEqual(await offerOf(env(), topic.id, first), { answered: true, ended: false }, "one answer is left");

      // The other one deleted from the review queue (flagged first).
      const flagged = await env().api.post(`/api/v1/posts/reply/${kept.id}/flags`, { reason: "spam" }, poster.auth);
      assert.equal(flagged.status, 201, JSON.stringify(flagged.body));
      await actOnQueuedPost(env(), slug, admin, kept.id, "delete");
      await drainJobs(env());
      assert.deepEqual(await offerOf(env(), topic.id, first), { answered: false, ended: true });
      // The next round's timer had not come yet: it comes on time and asks the next expert.
      env().clock.advance(60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [second.id]);
    });

    test("a round retried after every offer ended notifies nobody without an open offer", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 6 } });
      const [asker, a, b, c, spare, poster] = members.member;
      await env().api.put(`/api/v1/communities/${slug}/routing/settings`, { experts: 2 }, admin.auth);
      await buildHistory(env(), slug, asker, a, ["dsl-gap2"], 3);
      await buildHistory(env(), slug, asker, b, ["dsl-gap2"], 2);
      await buildHistory(env(), slug, asker, c, ["dsl-gap2"], 1);
      await buildHistory(env(), slug, asker, spare, ["dsl-gap2"], 1, false);
      const topic = await ask(env(), slug, poster, { tags: ["dsl-gap2"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [a.id, b.id]);
      // Every offer of the round ends (both experts opt out).
      for (const expert of [a, b])
        assert.equal((await env().api.put("/api/v1/me/routing", { optedOut: true }, expert.auth)).status, 200);
      assert.deepEqual(await routedTo(env(), topic.id), []);
      // The worker of the round's job stopped before recording it done: its lease runs out, it runs again.
      await env()
        .deps.db.updateTable("jobs")
        .set({ status: "running", lockedUntil: env().clock.now() - 1 })
        .where("dedupeKey", "=", `route:${topic.id}:0`)
        .execute();
      await drainJobs(env());
      assert.deepEqual(await notifiedOf(env(), topic.id, [c, spare]), [], "nobody without an offer is told");
      for (const user of [a, b, c, spare]) assert.equal(await routedShown(env(), user, topic.id), 0);
      assert.deepEqual(await routedTo(env(), topic.id), [], "and nobody is offered it by the retry");
      // The next round still comes on time.
      env().clock.advance(24 * 60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [c.id, spare.id]);
      assert.deepEqual(await notifiedOf(env(), topic.id, [c, spare]), [c.id, spare.id]);
    });

    test("a question hidden past its next round's timer is routed on from that round once restored", async () => {
      const { slug, admin, first, second, poster } = await oneExpertPerRound(env(), "modem-gap1c");
      const topic = await ask(env(), slug, poster, { tags: ["modem-gap1c"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [first.id]);
      const moderateTopic = (action: "hide" | "restore") =>
        env().api.post(`/api/v1/posts/topic/${topic.id}/${action}`, { reason: "Checking it" }, admin.auth);
      assert.equal((await moderateTopic("hide")).status, 200);
      // The next round's timer comes while it is hidden: nobody is asked, and no later timer is set.
      env().clock.advance(60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), []);

      assert.equal((await moderateTopic("restore")).status, 200);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [second.id], "the round the hide stopped runs now");
      assert.deepEqual(await notifiedOf(env(), topic.id, [second]), [second.id]);
      assert.deepEqual(await questionsFor(env(), first), [], "the first offer stays ended");
    });

    /**
     * A question held for review (first posts need approval) with an expert for its tag, then
     * approved five minutes later; `whileHeld` runs before the approval.
     */
    const heldThenApproved = async (tag: string, whileHeld: (topicId: number) => Promise<unknown>) => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, expert, poster] = members.member;
      await buildHistory(env(), slug, asker, expert, [tag], 2);
      await patchSettings(env(), slug, admin, "moderation", { approveFirstPosts: 1 });
      const topic = await ask(env(), slug, poster, { tags: [tag] });
      assert.equal(topic.moderationState, "pending");
      await whileHeld(topic.id);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), []);
      env().clock.advance(5 * MINUTE);
      await approveHeldPost(env(), slug, admin, topic.id);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [expert.id], "at the moment of approval");
      return { topic, expert };
    };

    test("a question held for approval is routed as soon as it is approved", async () => {
      await heldThenApproved("router-gap3", async () => {});
    });

    test("a question a routing job already found held is routed as soon as it is approved, not an hour later", async () => {
      // A routing job of the question runs while it waits for review: it looks again later.
      const { topic, expert } = await heldThenApproved("router-gap3b", (id) => scheduleRouting(env().deps, id));
      assert.deepEqual(await notifiedOf(env(), topic.id, [expert]), [expert.id]);
      // The look the held question had scheduled comes later and changes nothing.
      env().clock.advance(60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [expert.id]);
    });

    test("the later look a held question had scheduled does nothing once it was approved (no second round)", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 3 } });
      const [asker, expert, poster] = members.member;
      await buildHistory(env(), slug, asker, expert, ["router-gap3c"], 2);
      await patchSettings(env(), slug, admin, "moderation", { approveFirstPosts: 1 });
      const optOut = (optedOut: boolean) => env().api.put("/api/v1/me/routing", { optedOut }, expert.auth);
      const topic = await ask(env(), slug, poster, { tags: ["router-gap3c"] });
      assert.equal(topic.moderationState, "pending");
      // A routing job finds it held: it looks again in an hour.
      await scheduleRouting(env().deps, topic.id);
      await drainJobs(env());
      // Approved while its only expert has opted out: the round run at approval asks nobody.
      assert.equal((await optOut(true)).status, 200);
      env().clock.advance(5 * MINUTE);
      await approveHeldPost(env(), slug, admin, topic.id);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), []);
      assert.equal((await optOut(false)).status, 200);
      // The held question's later look comes: the first round already ran at approval, so it does nothing.
      env().clock.advance(60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [], "no second run of the first round");
      assert.deepEqual(await notifiedOf(env(), topic.id, [expert]), []);
      // The next round comes on its timer (a day after approval) and asks the expert, once.
      env().clock.advance(24 * 60 * MINUTE);
      await drainJobs(env());
      const offers = await env()
        .deps.db.selectFrom("topicRoutes")
        .select(["userId", "round"])
        .where("topicId", "=", topic.id)
        .execute();
      assert.deepEqual(offers, [{ userId: expert.id, round: 1 }]);
      assert.deepEqual(await notifiedOf(env(), topic.id, [expert]), [expert.id]);
    });

    test("PostgreSQL: a round that read the question answered just before that answer was hidden goes on", async (t) => {
      if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
      const { slug, admin, first, second, poster } = await oneExpertPerRound(env(), "modem-gap5");
      const topic = await ask(env(), slug, poster, { tags: ["modem-gap5"] });
      await drainJobs(env());
      const reply = await answer(env(), topic.id, first);
      await drainJobs(env());
      assert.deepEqual(await offerOf(env(), topic.id, first), { answered: true, ended: false });
      const db = env().deps.db;
      // The answer is hidden; the deliveries of its event wait in the queue (not run right after commit),
      // and the one to routing (followRoutedAnswer) is run by hand below.
      const runJobsNow = env().deps.runJobsNow;
      env().deps.runJobsNow = undefined;
      try {
        assert.equal((await moderate(admin, reply.id, "hide")).status, 200);
      } finally {
        env().deps.runJobsNow = runJobsNow;
      }
      const taken = await db
        .updateTable("jobs")
        .set({ status: "done" })
        .where("name", "=", "on:routing.answerModerated")
        .where("status", "=", "pending")
        .where("payload", "like", `%"postId":${reply.id},%`)
        .executeTakeFirst();
      assert.equal(Number(taken.numUpdatedRows), 1);
      await drainJobs(env());
      await secondRoundDueNow(env(), topic.id);
      // The delivery clears the answer and finds the round's job not started yet (nothing to resume);
      // it stops there, before committing, while the round runs and reads the answer as it was.
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let readJobs = false;
      const pauseAfterReadingJobs: KyselyPlugin = {
        transformQuery: (args) => args.node,
        transformResult: async (args) => {
          const row = args.result.rows[0] as Record<string, unknown> | undefined;
          if (!readJobs && row && ("dedupeKey" in row || "dedupe_key" in row)) {
            readJobs = true;
            await released;
          }
          return args.result;
        },
      };
      const following = followRoutedAnswer(
        { ...env().deps, db: db.withPlugin(pauseAfterReadingJobs) },
        topic.id,
        first.id,
      );
      await until("the delivery to read the round's job", async () => readJobs);
      let roundDone = false;
      const round = drainJobs(env()).then(() => {
        roundDone = true;
      });
      const waiting = async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(
          db,
        );
        return rows[0].n > 0;
      };
      await until("the round to stop or to wait for the topic", async () => roundDone || (await waiting()));
      release();
      await Promise.all([following, round]);
      await drainJobs(env());
      assert.deepEqual(await offerOf(env(), topic.id, first), { answered: false, ended: true });
      assert.deepEqual(await routedTo(env(), topic.id), [second.id], "the round asks the next expert");
      assert.deepEqual(await notifiedOf(env(), topic.id, [second]), [second.id]);
    });

    test("a routed expert deleting their account leaves the routing statistics as they were; their open offer ends", async () => {
      const { slug, admin, asker, first, second, poster } = await oneExpertPerRound(env(), "fiber-gap4");
      // One question the first expert answered as a routed expert, one they hold an open offer of.
      const answeredTopic = await ask(env(), slug, poster, { tags: ["fiber-gap4"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), answeredTopic.id), [first.id]);
      await answer(env(), answeredTopic.id, first);
      const open = await ask(env(), slug, asker, { tags: ["fiber-gap4"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), open.id), [first.id]);
      const before = await statsTotal(env(), slug, admin);
      assert.ok(before.answeredByRoutedExpert >= 1);

      const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, first.auth);
      assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
      await drainJobs(env());
      assert.deepEqual(await statsTotal(env(), slug, admin), before, "past routing is not rewritten");
      assert.deepEqual(await offerOf(env(), answeredTopic.id, first), { answered: true, ended: false });
      assert.deepEqual(await offerOf(env(), open.id, first), { answered: false, ended: true }, "no longer open");
      assert.deepEqual(await routedTo(env(), open.id), []);
      // The round moves on at its time, to the next expert.
      env().clock.advance(60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), open.id), [second.id]);
    });
  },
  roomyLimits,
);
