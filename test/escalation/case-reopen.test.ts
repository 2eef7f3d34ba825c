import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { ask, roomyLimits } from "../routing/support.ts";
import { LEASE_MS } from "../../src/jobs/jobs.ts";
import { slaJob } from "../../src/escalation/escalation.timers.ts";
import { configureCategory, statusOf } from "./support.ts";

const MINUTE = 60_000;

describeEachDatabase(
  "escalation: a case closed and opened again",
  (env) => {
    const post = (path: string, body: object, user: TestUser) => env().api.post(path, body, user.auth);
    const caseOf = async (topicId: number, staff: TestUser) =>
      (await env().api.get(`/api/v1/topics/${topicId}/case`, staff.auth)).body.case;

    test("a case reopened after a resolution is unassigned; one still open keeps its assignee", async () => {
      const { slug, members, admin, categories } = await buildCommunity(env(), {
        categories: ["Internet", "Contracts"],
        members: { member: 1, staff: 2 },
      });
      const [internet, contracts] = categories;
      await configureCategory(env(), slug, admin, contracts.id, { scope: "staff_only" });
      const [asker] = members.member;
      const [staff, colleague] = members.staff;
      const assign = (topicId: number) =>
        env().api.put(`/api/v1/topics/${topicId}/assignee`, { userId: colleague.id }, staff.auth);

      const topic = await ask(env(), slug, asker, { categoryId: internet.id });
      assert.equal((await post(`/api/v1/topics/${topic.id}/escalate`, {}, staff)).status, 200);
      assert.equal((await assign(topic.id)).status, 200);
      const resolved = await post(
        `/api/v1/topics/${topic.id}/resolve`,
        { resolution: "private", reason: "Phone" },
        staff,
      );
      assert.equal(resolved.status, 200);
      assert.deepEqual((await caseOf(topic.id, staff)).assignee, { id: colleague.id, name: colleague.name });
      env().clock.advance(MINUTE);
      assert.equal((await post(`/api/v1/topics/${topic.id}/escalate`, {}, staff)).status, 200);
      const reopened = await caseOf(topic.id, staff);
      assert.equal(reopened.resolvedAt, null);
      assert.equal(reopened.assignee, null, "the reopened case waits for someone to take it");

      const staffOnly = await ask(env(), slug, asker, { categoryId: contracts.id });
      assert.equal((await assign(staffOnly.id)).status, 200);
      assert.equal((await post(`/api/v1/topics/${staffOnly.id}/escalate`, {}, staff)).status, 200);
      assert.deepEqual(
        (await caseOf(staffOnly.id, staff)).assignee,
        { id: colleague.id, name: colleague.name },
        "escalating a case still open keeps who works on it",
      );
    });

    test("the resolution deadline escalates a de-escalated topic again, not one staff resolved", async () => {
      const { slug, members, admin, categories } = await buildCommunity(env(), {
        categories: ["Internet"],
        members: { member: 1, staff: 1 },
      });
      const [category] = categories;
      await configureCategory(env(), slug, admin, category.id, { resolutionMinutes: 240 });
      const [asker] = members.member;
      const [staff] = members.staff;
      const backToCrowd = await ask(env(), slug, asker, { categoryId: category.id });
      const resolved = await ask(env(), slug, asker, { categoryId: category.id });
      env().clock.advance(10 * MINUTE);
      for (const topic of [backToCrowd, resolved])
        assert.equal((await post(`/api/v1/topics/${topic.id}/escalate`, {}, staff)).status, 200);
      env().clock.advance(10 * MINUTE);
      assert.equal((await env().api.delete(`/api/v1/topics/${backToCrowd.id}/escalate`, staff.auth)).status, 200);
      const closed = await post(
        `/api/v1/topics/${resolved.id}/resolve`,
        { resolution: "private", reason: "Phone" },
        staff,
      );
      assert.equal(closed.status, 200);
      env().clock.advance(219 * MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), backToCrowd.id, asker), "open", "not yet due");
      env().clock.advance(MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), backToCrowd.id, asker), "escalated", "still unsolved at the deadline");
      assert.equal((await caseOf(backToCrowd.id, staff)).reason, "no_reply");
      assert.equal(
        await statusOf(env(), resolved.id, asker),
        "open",
        "staff resolved it: the deadline does not reopen it",
      );
    });

    test("a deadline's timer run again after staff de-escalated does not escalate again; the next deadline does", async () => {
      const { slug, members, admin, categories } = await buildCommunity(env(), {
        categories: ["Internet"],
        members: { member: 1, staff: 1 },
      });
      const [category] = categories;
      await configureCategory(env(), slug, admin, category.id, { firstResponseMinutes: 60, resolutionMinutes: 240 });
      const [asker] = members.member;
      const [staff] = members.staff;
      const topic = await ask(env(), slug, asker, { categoryId: category.id });
      env().clock.advance(60 * MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "escalated", "past the first-response deadline");
      // The worker stopped between the escalation and marking its job done: the job is taken again
      // once its lease runs out.
      const payload = JSON.stringify({ topicId: topic.id, stage: "first_response" });
      const rerun = await env()
        .deps.db.updateTable("jobs")
        .set({ status: "running", lockedUntil: env().clock.now() })
        .where("name", "=", slaJob.name)
        .where("payload", "=", payload)
        .executeTakeFirst();
      assert.equal(Number(rerun.numUpdatedRows), 1);
      env().clock.advance(5 * MINUTE);
      assert.equal((await env().api.delete(`/api/v1/topics/${topic.id}/escalate`, staff.auth)).status, 200);
      env().clock.advance(LEASE_MS);
      await drainJobs(env());
      const job = await env()
        .deps.db.selectFrom("jobs")
        .select(["status", "attempts"])
        .where("name", "=", slaJob.name)
        .where("payload", "=", payload)
        .executeTakeFirstOrThrow();
      assert.deepEqual([job.status, job.attempts], ["done", 2], "the timer ran again");
      assert.equal(await statusOf(env(), topic.id, asker), "open", "staff sent it back to the crowd: it stays there");
      assert.notEqual((await caseOf(topic.id, staff)).resolvedAt, null);

      env().clock.advance(240 * MINUTE);
      await drainJobs(env());
      assert.equal(await statusOf(env(), topic.id, asker), "escalated", "a new deadline passed: escalated again");
    });
  },
  roomyLimits,
);
