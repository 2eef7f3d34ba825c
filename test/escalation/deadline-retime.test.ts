import { test } from "node:test";
import assert from "node:assert/strict";
import type { KyselyPlugin } from "kysely";
import { buildCommunity, describeEachDatabase, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { answer, ask, roomyLimits } from "../routing/support.ts";
import { configureCategory, statusOf } from "./support.ts";
import { retimeSla } from "../../src/escalation/escalation.timers.ts";

const MINUTE = 60_000;
/** The longest deadline: its milliseconds are past a 32-bit integer (PostgreSQL's `integer`). */
const NINETY_DAYS = 90 * 24 * 60;

describeEachDatabase(
  "SLA timers re-timed when an admin changes a category's deadlines",
  (env) => {
    async function slaCommunity(settings: Record<string, unknown>) {
      const built = await buildCommunity(env(), {
        categories: ["Internet", "Chat"],
        members: { member: 2, staff: 1 },
      });
      await configureCategory(env(), built.slug, built.admin, built.categories[0].id, settings);
      return { ...built, category: built.categories[0], asker: built.members.member[0], staff: built.members.staff[0] };
    }
    /** The topic's pending SLA timers, as [stage, minutes after its posting]. */
    async function timers(topic: { id: number; createdAt: string }) {
      const rows = await env()
        .deps.db.selectFrom("jobs")
        .select(["payload", "runAt"])
        .where("name", "=", "escalation.sla")
        .where("status", "=", "pending")
        .orderBy("id")
        .execute();
      return rows
        .map((r) => ({ ...(JSON.parse(r.payload) as { topicId: number; stage: string }), runAt: Number(r.runAt) }))
        .filter((r) => r.topicId === topic.id)
        .map((r) => [r.stage, (r.runAt - Date.parse(topic.createdAt)) / MINUTE]);
    }
    const post = (path: string, user: TestUser, body: object = {}) => env().api.post(path, body, user.auth);

    test("a shortened deadline already past escalates at the next run of the queue, not in the admin's request", async () => {
      const { slug, admin, category, asker, staff } = await slaCommunity({ firstResponseMinutes: 120 });
      const topic = await ask(env(), slug, asker, { categoryId: category.id });
      await drainJobs(env());
      assert.deepEqual(await timers(topic), [["first_response", 120]]);
      env().clock.advance(90 * MINUTE);
      await configureCategory(env(), slug, admin, category.id, { firstResponseMinutes: 60 });
      assert.deepEqual(await timers(topic), [["first_response", 60]], "the timer moved to the new deadline");
      assert.equal(await statusOf(env(), topic.id, asker), "open", "nothing escalated by the admin's request");
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "escalated");
      const queue = await env().api.get(`/api/v1/communities/${slug}/staff/queue`, staff.auth);
      assert.deepEqual(
        queue.body.items.map((i: { topic: { id: number }; case: { reason: string } }) => [i.topic.id, i.case.reason]),
        [[topic.id, "no_reply"]],
      );
    });

    test("a shortened deadline not yet past escalates at its new time, counted from the posting", async () => {
      const { slug, admin, category, asker } = await slaCommunity({ firstResponseMinutes: 120 });
      const topic = await ask(env(), slug, asker, { categoryId: category.id });
      env().clock.advance(30 * MINUTE);
      await configureCategory(env(), slug, admin, category.id, { firstResponseMinutes: 60 });
      env().clock.advance(29 * MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "open");
      env().clock.advance(MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "escalated");
    });

    test("a lengthened deadline postpones the timer itself", async () => {
      const { slug, admin, category, asker } = await slaCommunity({ firstResponseMinutes: 60 });
      const topic = await ask(env(), slug, asker, { categoryId: category.id });
      env().clock.advance(30 * MINUTE);
      await configureCategory(env(), slug, admin, category.id, { firstResponseMinutes: 180 });
      assert.deepEqual(await timers(topic), [["first_response", 180]]);
      env().clock.advance(149 * MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "open");
      env().clock.advance(MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "escalated");
    });

    test("the resolution deadline is re-timed too: an answered topic escalates as unsolved", async () => {
      const { slug, admin, category, asker, members, staff } = await slaCommunity({
        firstResponseMinutes: 60,
        resolutionMinutes: 600,
      });
      const topic = await ask(env(), slug, asker, { categoryId: category.id });
      await answer(env(), topic.id, members.member[1]);
      env().clock.advance(200 * MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "answered");
      await configureCategory(env(), slug, admin, category.id, { resolutionMinutes: 180 });
      assert.deepEqual(await timers(topic), [["resolution", 180]]);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "escalated");
      const supportCase = (await env().api.get(`/api/v1/topics/${topic.id}/case`, staff.auth)).body.case;
      assert.equal(supportCase.reason, "unsolved");
    });

    test("escalated, solved, de-escalated and resolved topics keep their state and their timers", async () => {
      const { slug, admin, category, asker, members, staff } = await slaCommunity({ resolutionMinutes: 600 });
      const topics = {
        waiting: await ask(env(), slug, asker, { categoryId: category.id }),
        escalated: await ask(env(), slug, asker, { categoryId: category.id }),
        solved: await ask(env(), slug, asker, { categoryId: category.id }),
        backToCrowd: await ask(env(), slug, asker, { categoryId: category.id }),
        resolved: await ask(env(), slug, asker, { categoryId: category.id }),
      };
      env().clock.advance(10 * MINUTE);
      for (const topic of [topics.escalated, topics.backToCrowd, topics.resolved])
        assert.equal((await post(`/api/v1/topics/${topic.id}/escalate`, staff)).status, 200);
      const reply = await answer(env(), topics.solved.id, members.member[1]);
      assert.equal((await post(`/api/v1/topics/${topics.solved.id}/accept`, asker, { replyId: reply.id })).status, 200);
      assert.equal(
        (await env().api.delete(`/api/v1/topics/${topics.backToCrowd.id}/escalate`, staff.auth)).status,
        200,
      );
      const closed = await post(`/api/v1/topics/${topics.resolved.id}/resolve`, staff, {
        resolution: "private",
        reason: "By phone",
      });
      assert.equal(closed.status, 200);
      await drainJobs(env());
      const before = await Promise.all(Object.values(topics).map((t) => statusOf(env(), t.id, asker)));
      assert.deepEqual(before, ["open", "escalated", "solved", "open", "open"]);

      env().clock.advance(60 * MINUTE);
      await configureCategory(env(), slug, admin, category.id, { resolutionMinutes: 30 });
      for (const name of ["escalated", "solved", "backToCrowd", "resolved"] as const)
        assert.deepEqual(await timers(topics[name]), [["resolution", 600]], `${name}: its timer stays`);
      await drainJobs(env());
      const after = await Promise.all(Object.values(topics).map((t) => statusOf(env(), t.id, asker)));
      assert.deepEqual(after, ["escalated", "escalated", "solved", "open", "open"]);
      const escalatedCase = (await env().api.get(`/api/v1/topics/${topics.escalated.id}/case`, staff.auth)).body.case;
      assert.equal(escalatedCase.reason, "manual", "the escalated topic's case is as staff opened it");
    });

    test("topics of other categories, and those moved out of the category, keep their timers", async () => {
      const { slug, admin, categories, category, asker } = await slaCommunity({ firstResponseMinutes: 120 });
      const chat = categories[1];
      await configureCategory(env(), slug, admin, chat.id, { firstResponseMinutes: 120 });
      const inChat = await ask(env(), slug, asker, { categoryId: chat.id });
      const movedOut = await ask(env(), slug, asker, { categoryId: category.id });
      const stays = await ask(env(), slug, asker, { categoryId: category.id });
      const moved = await env().api.post(`/api/v1/topics/${movedOut.id}/move`, { categoryId: chat.id }, admin.auth);
      assert.equal(moved.status, 200);
      await drainJobs(env());
      await configureCategory(env(), slug, admin, category.id, { firstResponseMinutes: 30 });
      assert.deepEqual(await timers(inChat), [["first_response", 120]]);
      // Its one timer (the move scheduled the same time) follows Chat, the category it is in.
      assert.deepEqual(await timers(movedOut), [["first_response", 120]]);
      assert.deepEqual(await timers(stays), [["first_response", 30]]);
    });

    test("a timer moved to a time another timer of the topic already had is moved all the same", async () => {
      // Posted in Internet (60 minutes), moved to Chat (120): Internet's timer ran at 60 minutes and
      // handed over to Chat's. Chat then shortened to 60: the remaining timer takes that time.
      const { slug, admin, categories, category, asker } = await slaCommunity({ firstResponseMinutes: 60 });
      const chat = categories[1];
      await configureCategory(env(), slug, admin, chat.id, { firstResponseMinutes: 120 });
      const topic = await ask(env(), slug, asker, { categoryId: category.id });
      env().clock.advance(5 * MINUTE);
      assert.equal((await post(`/api/v1/topics/${topic.id}/move`, admin, { categoryId: chat.id })).status, 200);
      env().clock.advance(56 * MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "open");
      assert.deepEqual(await timers(topic), [["first_response", 120]]);
      await configureCategory(env(), slug, admin, chat.id, { firstResponseMinutes: 60 });
      assert.deepEqual(await timers(topic), [["first_response", 60]]);
      const failed = await env()
        .deps.db.selectFrom("jobs")
        .select(["name", "lastError"])
        .where("lastError", "is not", null)
        .execute();
      assert.deepEqual(failed, [], "the re-timing itself did not fail");
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "escalated");
    });

    test("changing only the scope or expectation moves no timer; the same deadline again moves none", async () => {
      const { slug, admin, category, asker } = await slaCommunity({ firstResponseMinutes: 120 });
      const topic = await ask(env(), slug, asker, { categoryId: category.id });
      const keys = async () =>
        (await env().deps.db.selectFrom("jobs").select("dedupeKey").where("name", "=", "escalation.sla").execute())
          .map((r) => r.dedupeKey)
          .filter((k) => k?.endsWith(`:${topic.id}:${Date.parse(topic.createdAt) + 120 * MINUTE}`));
      assert.equal((await keys()).length, 1);
      await configureCategory(env(), slug, admin, category.id, { expectation: "Within two hours" });
      await configureCategory(env(), slug, admin, category.id, { firstResponseMinutes: 120 });
      assert.equal((await keys()).length, 1, "the timer is untouched, its dedupe key kept");
      assert.deepEqual(await timers(topic), [["first_response", 120]]);
    });

    test("the re-timing is one statement, however many topics wait", async () => {
      const { slug, category, asker } = await slaCommunity({ firstResponseMinutes: 120, resolutionMinutes: 600 });
      const topics = [];
      for (let i = 0; i < 6; i++) topics.push(await ask(env(), slug, asker, { categoryId: category.id }));
      // Changed behind the service's back, so that only the call below moves the timers.
      await env()
        .deps.db.updateTable("categories")
        .set({ firstResponseMinutes: 45, resolutionMinutes: NINETY_DAYS })
        .where("id", "=", category.id)
        .execute();
      let statements = 0;
      // Counted by their results: a subquery is transformed on its own too, but runs in its statement.
      const counter: KyselyPlugin = {
        transformQuery: (args) => args.node,
        transformResult: async (args) => {
          statements++;
          return args.result;
        },
      };
      const moved = await retimeSla(
        { db: env().deps.db.withPlugin(counter), dialect: env().deps.dialect },
        category.id,
      );
      assert.equal(moved, 12);
      assert.equal(statements, 1);
      for (const topic of topics)
        assert.deepEqual(await timers(topic), [
          ["first_response", 45],
          ["resolution", NINETY_DAYS],
        ]);
    });
  },
  roomyLimits,
);
