import { test } from "node:test";
import assert from "node:assert/strict";
import { buildUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { approvedHelper, createOffer, describeMarket, jobBody, market, cancelledWhileRoundWaits } from "./support.ts";

describeMarket("a last dispatch round racing the job's end", (env) => {
  test("a job cancelled while the round finds nobody left is not handed to staff", async (t) => {
    // SQLite runs one writing transaction at a time: the cancellation cannot land mid-round there.
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { slug, service, customer, staff } = await market(env());
    const created = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.deepEqual([created.status, created.body.offeredTo], [201, 1]);
    const id = created.body.jobRequest.id;

    await cancelledWhileRoundWaits(env(), id, customer);
    await drainJobs(env());
    const job = await env().deps.db.selectFrom("jobRequests").select("status").where("id", "=", id).executeTakeFirst();
    assert.equal(job?.status, "cancelled");
    const notes = (await env().api.get("/api/v1/notifications", staff.auth)).body.notifications;
    assert.deepEqual(
      notes.filter((n: { kind: string }) => n.kind === "market.job_unassigned"),
      [],
      "staff are not asked to arrange a job its customer called off",
    );
  });
});

describeMarket("taking a job nobody took any more", (env) => {
  test("Accept on a job its customer called off, or handed to staff, says so instead of 'already taken'", async () => {
    const { slug, admin, service, customer, other, helper } = await market(env());
    const { user: second } = await approvedHelper(env(), slug, admin, await buildUser(env(), { name: "Second" }));
    await createOffer(env(), slug, second, service.id);
    const request = async (who: typeof customer) => {
      const res = await env().api.post(
        `/api/v1/communities/${slug}/job-requests`,
        jobBody(env(), service.id),
        who.auth,
      );
      assert.deepEqual([res.status, res.body.offeredTo], [201, 2]);
      return res.body.jobRequest.id as number;
    };
    const cancelled = await request(customer);
    assert.equal((await env().api.post(`/api/v1/job-requests/${cancelled}/cancel`, {}, customer.auth)).status, 200);
    const late = await env().api.post(`/api/v1/job-requests/${cancelled}/accept`, {}, helper.auth);
    assert.deepEqual([late.status, late.body.error.message], [409, "The member who asked called this job off."]);

    const handed = await request(other);
    // Nobody answered the only round; the next finds no helper left and hands the job to staff.
    env().clock.advance(61 * 60_000);
    await drainJobs(env());
    const job = await env().api.get(`/api/v1/job-requests/${handed}`, other.auth);
    assert.equal(job.body.jobRequest.status, "staff");
    const refused = await env().api.post(`/api/v1/job-requests/${handed}/accept`, {}, second.auth);
    assert.deepEqual(
      [refused.status, refused.body.error.message],
      [409, "This job is no longer offered to service friends; staff arrange it."],
    );
  });
});
