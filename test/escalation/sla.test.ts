import { test } from "node:test";
import assert from "node:assert/strict";
import { openDatabase } from "../../src/db/database.ts";
import { buildApp } from "../../src/app/app.ts";
import type { Deps } from "../../src/core/deps.ts";
import { fakeClock } from "../../src/core/clock.ts";
import { runDueJobs } from "../../src/jobs/jobs.ts";
import { buildJobRegistry } from "../../src/app/jobs.ts";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { answer, ask, roomyLimits } from "../routing/support.ts";
import { configureCategory, statusOf } from "./support.ts";

const MINUTE = 60_000;

describeEachDatabase(
  "SLA timers and escalation",
  (env) => {
    async function slaCommunity(settings: Record<string, unknown>) {
      const built = await buildCommunity(env(), { categories: ["Internet"], members: { member: 3, staff: 1 } });
      await configureCategory(env(), built.slug, built.admin, built.categories[0].id, settings);
      return { ...built, category: built.categories[0] };
    }
    const queueIds = async (slug: string, staff: { auth: { token: string } }) =>
      (
        (await env().api.get(`/api/v1/communities/${slug}/staff/queue`, staff.auth)).body.items as {
          topic: { id: number };
          case: { reason: string };
        }[]
      ).map((i) => [i.topic.id, i.case.reason]);

    test("no reply past the category's target: escalated, in the staff queue, and the asker is told", async () => {
      const { slug, category, members } = await slaCommunity({ firstResponseMinutes: 60 });
      const [asker] = members.member;
      const [staff] = members.staff;
      const topic = await ask(env(), slug, asker, { categoryId: category.id });
      env().clock.advance(59 * MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "open");
      env().clock.advance(MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "escalated");
      assert.deepEqual(await queueIds(slug, staff), [[topic.id, "no_reply"]]);
      const told = (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications;
      assert.deepEqual(
        told.map((n: { kind: string; topicId: number }) => [n.kind, n.topicId]),
        [["escalated", topic.id]],
      );
      assert.match(told[0].text, /passed to our support team/);
      const listed = await env().api.get(`/api/v1/communities/${slug}/topics?status=escalated`, asker.auth);
      assert.deepEqual(
        listed.body.topics.map((t: { id: number }) => t.id),
        [topic.id],
      );
    });

    test("a deadline passing while staff resolve the case does not reopen it", async () => {
      const { slug, category, members } = await slaCommunity({ scope: "staff_only", firstResponseMinutes: 60 });
      const [asker] = members.member;
      const [staff] = members.staff;
      const topic = await ask(env(), slug, asker, { categoryId: category.id });
      env().clock.advance(61 * MINUTE);
      const resolve = () =>
        env().api.post(`/api/v1/topics/${topic.id}/resolve`, { resolution: "private", reason: "By phone" }, staff.auth);
      let resolved: Awaited<ReturnType<typeof resolve>>;
      if (env().deps.dialect === "postgres") {
        // Both wait on the topic's row, held here, and then run in either order.
        let release = () => {};
        let locked = () => {};
        const isLocked = new Promise<void>((r) => (locked = r));
        const holder = env()
          .deps.db.transaction()
          .execute(async (trx) => {
            await trx.selectFrom("topics").select("id").where("id", "=", topic.id).forUpdate().execute();
            locked();
            await new Promise<void>((r) => (release = r));
          });
        await isLocked;
        const both = Promise.all([resolve(), drainJobs(env())]);
        await new Promise((r) => setTimeout(r, 100));
        release();
        await holder;
        [resolved] = await both;
      } else {
        [resolved] = await Promise.all([resolve(), drainJobs(env())]);
      }
      await drainJobs(env());
      assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
      const supportCase = (await env().api.get(`/api/v1/topics/${topic.id}/case`, staff.auth)).body.case;
      assert.notEqual(supportCase.resolvedAt, null, "the case stays resolved");
      assert.notEqual(await statusOf(env(), topic.id, asker), "escalated");
    });

    test("a question merged in is not a first response: the deadline still escalates", async () => {
      const { slug, category, members, admin } = await slaCommunity({ firstResponseMinutes: 60 });
      const [asker, other] = members.member;
      const topic = await ask(env(), slug, asker, { categoryId: category.id });
      env().clock.advance(10 * MINUTE);
      const copy = await ask(env(), slug, other, { title: "My router blinks red as well, what now?" });
      const merged = await env().api.post(`/api/v1/topics/${copy.id}/merge`, { intoTopicId: topic.id }, admin.auth);
      assert.equal(merged.status, 200);
      env().clock.advance(50 * MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "escalated");
    });

    test("a reply in time stops the first timer; not solved by the second deadline: escalated as unsolved", async () => {
      const { slug, category, members } = await slaCommunity({ firstResponseMinutes: 60, resolutionMinutes: 240 });
      const [asker, helper, other] = members.member;
      const [staff] = members.staff;
      const unsolved = await ask(env(), slug, asker, { categoryId: category.id });
      const solved = await ask(env(), slug, other, { categoryId: category.id });
      const ownReplyOnly = await ask(env(), slug, helper, { categoryId: category.id });
      env().clock.advance(30 * MINUTE);
      await answer(env(), unsolved.id, helper);
      const solution = await answer(env(), solved.id, helper);
      await answer(env(), ownReplyOnly.id, helper); // the asker bumping their own topic is no response
      env().clock.advance(30 * MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), unsolved.id, asker), "answered");
      assert.equal(await statusOf(env(), ownReplyOnly.id, helper), "escalated");
      await env().api.post(`/api/v1/topics/${solved.id}/accept`, { replyId: solution.id }, other.auth);
      env().clock.advance(179 * MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), unsolved.id, asker), "answered");
      env().clock.advance(MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), unsolved.id, asker), "escalated");
      assert.equal(await statusOf(env(), solved.id, other), "solved");
      assert.deepEqual(await queueIds(slug, staff), [
        [ownReplyOnly.id, "no_reply"],
        [unsolved.id, "unsolved"],
      ]);
    });

    test("restarting in the middle of timers loses nothing: the timer is a row another instance runs", async () => {
      const { slug, category, members } = await slaCommunity({ firstResponseMinutes: 120 });
      const [asker] = members.member;
      const topic = await ask(env(), slug, asker, { categoryId: category.id });
      // The first instance stops before the deadline; a new one starts on the same database.
      const second =
        env().deps.dialect === "postgres" ? await openDatabase({ ...env().deps.config, sqliteFile: ":memory:" }) : null;
      const clock = fakeClock(env().clock.now() + 3 * 60 * MINUTE);
      const deps: Deps = { ...env().deps, db: second?.db ?? env().deps.db, clock };
      const app = await buildApp(deps);
      try {
        assert.ok((await runDueJobs(deps, buildJobRegistry())) > 0);
        const res = await app.inject({
          method: "GET",
          url: `/api/v1/topics/${topic.id}`,
          headers: { authorization: `Bearer ${asker.auth.token}` },
        });
        assert.equal(res.json().topic.status, "escalated");
        const told = await deps.db
          .selectFrom("notifications")
          .select("kind")
          .where("userId", "=", asker.id)
          .where("topicId", "=", topic.id)
          .execute();
        assert.deepEqual(
          told.map((n) => n.kind),
          ["escalated"],
        );
      } finally {
        await app.close();
        await second?.close();
      }
      env().clock.set(clock.now());
      await drainJobs(env());
      assert.equal(
        (
          await env()
            .deps.db.selectFrom("notifications")
            .select("id")
            .where("userId", "=", asker.id)
            .where("topicId", "=", topic.id)
            .execute()
        ).length,
        1,
        "the first instance does not run it again",
      );
    });

    test("staff escalate and de-escalate by hand, audited; members cannot; a solved topic cannot be escalated", async () => {
      const { slug, members } = await slaCommunity({ firstResponseMinutes: null });
      const [asker, helper] = members.member;
      const [staff] = members.staff;
      const topic = await ask(env(), slug, asker);
      assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, helper.auth)).status, 403);
      assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, asker.auth)).status, 403);
      const up = await env().api.post(
        `/api/v1/topics/${topic.id}/escalate`,
        { note: "Customer called the hotline" },
        staff.auth,
      );
      assert.deepEqual([up.status, up.body], [200, { status: "escalated" }]);
      assert.equal(
        (await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status,
        200,
        "idempotent",
      );
      assert.deepEqual(await queueIds(slug, staff), [[topic.id, "manual"]]);
      assert.equal((await env().api.delete(`/api/v1/topics/${topic.id}/escalate`, helper.auth)).status, 403);
      const down = await env().api.delete(`/api/v1/topics/${topic.id}/escalate`, staff.auth);
      assert.deepEqual([down.status, down.body], [200, { status: "open" }]);
      assert.deepEqual(await queueIds(slug, staff), []);
      assert.equal((await env().api.delete(`/api/v1/topics/${topic.id}/escalate`, staff.auth)).status, 409);
      const audit = await env()
        .deps.db.selectFrom("auditLog")
        .select(["action", "actorId"])
        .where("targetId", "=", topic.id)
        .where("targetType", "=", "topic")
        .orderBy("id")
        .execute();
      assert.deepEqual(audit, [
        { action: "topic.escalate", actorId: staff.id },
        { action: "topic.deescalate", actorId: staff.id },
      ]);
      const reply = await answer(env(), topic.id, helper);
      await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
      assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 409);
    });
  },
  roomyLimits,
);
