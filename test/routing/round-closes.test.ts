import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { buildCommunity, describeEachDatabase, type TestEnv, type TestUser, until } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import {
  answer,
  ask,
  buildHistory,
  ids,
  notifiedOf,
  oneExpertPerRound,
  questionsFor,
  roomyLimits,
  routedTo,
  secondRoundDueNow,
} from "./support.ts";

const MINUTE = 60_000;

/** A topic's offers as stored: who, whether answered, whether ended. */
async function offers(env: TestEnv, topicId: number) {
  const rows = await env.deps.db
    .selectFrom("topicRoutes")
    .select(["userId", "answeredAt", "expiredAt"])
    .where("topicId", "=", topicId)
    .orderBy("userId")
    .execute();
  return rows.map((r) => ({ userId: r.userId, answered: r.answeredAt !== null, ended: r.expiredAt !== null }));
}

/** The `routed` notifications about a topic an expert is shown, and their unread count overall. */
async function shownRouted(env: TestEnv, topicId: number, expert: TestUser) {
  const { notifications, unreadCount } = (await env.api.get("/api/v1/notifications", expert.auth)).body;
  const about = notifications.filter(
    (n: { kind: string; topicId: number }) => n.kind === "routed" && n.topicId === topicId,
  );
  return { shown: about.length, unreadCount };
}

describeEachDatabase(
  "a routed expert's answer closes the round",
  (env) => {
    /** Three wifi experts who get each question at once, each holding `maxOpen` open questions at most. */
    async function threeExperts(maxOpen = 1) {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 7 } });
      const [asker, a, b, c, poster, other, spare] = members.member;
      await env().api.put(
        `/api/v1/communities/${slug}/routing/settings`,
        { experts: 3, rerouteAfterMinutes: 60, maxOpen },
        admin.auth,
      );
      // A fourth, weaker expert (who a re-routing would ask next), first: its question was routed to nobody.
      await buildHistory(env(), slug, asker, spare, ["wifi"], 1, false);
      await buildHistory(env(), slug, asker, a, ["wifi"], 3);
      await buildHistory(env(), slug, asker, b, ["wifi"], 2);
      await buildHistory(env(), slug, asker, c, ["wifi"], 1);
      const topic = await ask(env(), slug, poster, { tags: ["wifi"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), ids([a.id, b.id, c.id]));
      return { slug, admin, asker, a, b, c, poster, other, spare, topic };
    }

    test("the others' offers end: off their list, not busy, not asked or told again, answerer credited", async () => {
      const { slug, admin, a, b, c, other, spare, topic } = await threeExperts();
      await answer(env(), topic.id, b);
      assert.deepEqual(await offers(env(), topic.id), [
        { userId: a.id, answered: false, ended: true },
        { userId: b.id, answered: true, ended: false },
        { userId: c.id, answered: false, ended: true },
      ]);
      for (const expert of [a, b, c]) assert.deepEqual(await questionsFor(env(), expert), [], `${expert.id}'s list`);
      // One open question at most each: a and c are free again (b answered it, as before).
      const next = await ask(env(), slug, other, { tags: ["wifi"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), next.id), ids([a.id, b.id, c.id]), "nobody held busy by the first");
      // The timers of the later rounds come and go: nobody else is asked or told again.
      const notified = (await notifiedOf(env(), topic.id, [a, b, c, spare])).length;
      env().clock.advance(4 * 60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [b.id]);
      assert.equal((await notifiedOf(env(), topic.id, [a, b, c, spare])).length, notified);
      assert.equal((await offers(env(), topic.id)).length, 3, "no offer to the spare expert");
      const stats = await env().api.get(`/api/v1/communities/${slug}/stats/routing`, admin.auth);
      assert.equal(stats.body.total.answeredByRoutedExpert, 1, "the answer counts for routing");
    });

    test("the others' routed notifications lapse with their offers; the answerer's stays", async () => {
      const { a, b, c, topic } = await threeExperts();
      const before = new Map<number, number>();
      for (const expert of [a, b, c]) {
        const { shown, unreadCount } = await shownRouted(env(), topic.id, expert);
        assert.equal(shown, 1);
        before.set(expert.id, unreadCount);
      }
      await answer(env(), topic.id, b);
      await drainJobs(env());
      for (const expert of [a, c])
        assert.deepEqual(
          await shownRouted(env(), topic.id, expert),
          { shown: 0, unreadCount: before.get(expert.id)! - 1 },
          "gone from the list, and the bell counts it no more",
        );
      assert.equal((await shownRouted(env(), topic.id, b)).shown, 1, "the expert who answered keeps theirs");
      assert.equal((await notifiedOf(env(), topic.id, [a, c])).length, 2, "hidden, not deleted: checked when read");
    });

    test("an expert of an earlier round answering late ends the current round's offers", async () => {
      const { slug, first, second, poster } = await oneExpertPerRound(env(), "tv-box");
      const topic = await ask(env(), slug, poster, { tags: ["tv-box"] });
      await drainJobs(env());
      env().clock.advance(60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [second.id]);
      await answer(env(), topic.id, first);
      assert.deepEqual(await offers(env(), topic.id), [
        { userId: first.id, answered: true, ended: true },
        { userId: second.id, answered: false, ended: true },
      ]);
      assert.deepEqual(await questionsFor(env(), second), []);
      assert.equal((await shownRouted(env(), topic.id, first)).shown, 1, "answered after their offer ended: kept");
      assert.equal((await shownRouted(env(), topic.id, second)).shown, 0);
      env().clock.advance(60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [], "the third expert is not asked");
    });

    test("an offer made by a round racing with the answer is neither listed nor load; its timer ends it", async () => {
      const { slug, a, b, other, topic } = await threeExperts();
      await answer(env(), topic.id, a);
      // As if the next round had committed b's offer after the answer withdrew the open ones.
      await env()
        .deps.db.updateTable("topicRoutes")
        .set({ expiredAt: null, round: 1 })
        .where("topicId", "=", topic.id)
        .where("userId", "=", b.id)
        .execute();
      assert.deepEqual(await questionsFor(env(), b), []);
      assert.equal((await shownRouted(env(), topic.id, b)).shown, 0, "nor is its notification shown");
      const next = await ask(env(), slug, other, { tags: ["wifi"] });
      await drainJobs(env());
      assert.ok((await routedTo(env(), next.id)).includes(b.id), "b is not held busy");
      env().clock.advance(60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(
        (await offers(env(), topic.id)).find((o) => o.userId === b.id),
        { userId: b.id, answered: false, ended: true },
        "the round's timer withdrew it",
      );
    });

    test("a reply by the asker or by a member nobody asked leaves the offers open (re-routing goes on)", async () => {
      const { a, b, c, poster, other, topic } = await threeExperts();
      await answer(env(), topic.id, poster);
      await answer(env(), topic.id, other);
      assert.deepEqual(await routedTo(env(), topic.id), ids([a.id, b.id, c.id]));
      assert.deepEqual(await questionsFor(env(), c), [topic.id]);
    });

    // These already worked before the answer closed the round; kept here with several experts.
    test("accepting another member's answer, escalating or hiding the question ends every expert's offer", async () => {
      const { slug, admin, asker, a, b, c, other } = await threeExperts(5);
      const close = {
        accepted: async (id: number) => {
          const reply = await answer(env(), id, asker);
          return env().api.post(`/api/v1/topics/${id}/accept`, { replyId: reply.id }, other.auth);
        },
        escalated: (id: number) => env().api.post(`/api/v1/topics/${id}/escalate`, {}, admin.auth),
        hidden: (id: number) => env().api.post(`/api/v1/posts/topic/${id}/hide`, { reason: "spam" }, admin.auth),
      };
      for (const [how, run] of Object.entries(close)) {
        const topic = await ask(env(), slug, other, { tags: ["wifi"] });
        await drainJobs(env());
        // Three experts each time (the asker's accepted answer makes them one of them after the first).
        const experts = await routedTo(env(), topic.id);
        assert.equal(experts.length, 3, how);
        assert.equal((await run(topic.id)).status, 200, how);
        await drainJobs(env());
        assert.deepEqual(await routedTo(env(), topic.id), [], `${how}: every offer ended`);
        for (const expert of [asker, a, b, c]) assert.ok(!(await questionsFor(env(), expert)).includes(topic.id), how);
      }
    });

    test("PostgreSQL: an answer made while the next round picks its experts: nobody else is asked", async (t) => {
      if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
      const { slug, first, second, poster } = await oneExpertPerRound(env(), "router");
      const topic = await ask(env(), slug, poster, { tags: ["router"] });
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [first.id]);
      const db = env().deps.db;
      await secondRoundDueNow(env(), topic.id);
      const waitingOnExpertise = async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where relation = 'member_expertise'::regclass and not granted`.execute(db);
        return rows[0].n > 0;
      };
      const answeredByFirst = async () =>
        (await offers(env(), topic.id)).some((o) => o.userId === first.id && o.answered);
      let round!: Promise<number>;
      let answering!: Promise<unknown>;
      // The second round has read the question's offers (none answered) and waits to rank the
      // experts, held by a lock on their expertise; the first expert's answer is recorded meanwhile.
      await db.transaction().execute(async (trx) => {
        await sql`lock table member_expertise in access exclusive mode`.execute(trx);
        round = drainJobs(env());
        await until("the round to wait for the expertise", waitingOnExpertise);
        answering = answer(env(), topic.id, first);
        await until("the answer to be recorded", answeredByFirst);
      });
      await Promise.all([round, answering]);
      await drainJobs(env());
      assert.deepEqual(
        await offers(env(), topic.id),
        [{ userId: first.id, answered: true, ended: false }],
        "the second expert is not asked",
      );
      assert.deepEqual(await questionsFor(env(), second), []);
      env().clock.advance(3 * 60 * MINUTE);
      await drainJobs(env());
      assert.deepEqual(await routedTo(env(), topic.id), [first.id]);
    });
  },
  roomyLimits,
);
