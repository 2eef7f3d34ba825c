import { test } from "node:test";
import assert from "node:assert/strict";
import { buildUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { approvedHelper, createOffer, describeMarket, jobBody, market, cancelledWhileRoundWaits } from "./support.ts";

describeMarket("a dispatch round racing the job's end", (env) => {
  test("a job cancelled while the next helpers are picked is offered to nobody else", async (t) => {
    // SQLite runs one writing transaction at a time: the cancellation cannot land mid-round there.
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { slug, admin, service, customer } = await market(env());
    const { user: second } = await approvedHelper(env(), slug, admin, await buildUser(env(), { name: "Second" }));
    await createOffer(env(), slug, second, service.id);
    await env().api.patch(`/api/v1/communities/${slug}/marketplace-settings`, { dispatchBatch: 1 }, admin.auth);
    const created = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.deepEqual([created.status, created.body.offeredTo], [201, 1]);
    const id = created.body.jobRequest.id;
    const candidates = () =>
      env().deps.db.selectFrom("jobCandidates").select("helperId").where("jobRequestId", "=", id).execute();

    await cancelledWhileRoundWaits(env(), id, customer);
    await drainJobs(env());
    assert.equal((await candidates()).length, 1, "nobody asked after the cancellation");
    const offers = (await env().api.get("/api/v1/me/job-offers", second.auth)).body.jobOffers;
    assert.deepEqual(offers, [], "the second helper was not offered the cancelled job");
  });
});
