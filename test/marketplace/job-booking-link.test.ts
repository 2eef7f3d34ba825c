import { test } from "node:test";
import assert from "node:assert/strict";
import { buildUser } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";
import { approvedHelper, createOffer, describeMarket, jobBody, market } from "./support.ts";

/**
 * A taken job names its booking (`bookingId`, the page's link) only to those who may open it: its
 * customer, staff and the helper who took it; another helper it was offered to sees it taken, no link.
 */
describeMarket("a taken job's booking", (env) => {
  test("named to the customer, staff and the helper who took it, not to another helper asked", async () => {
    const { slug, admin, staff, helper, customer, service } = await market(env());
    const { user: second } = await approvedHelper(env(), slug, admin, await buildUser(env(), { name: "Second" }));
    await createOffer(env(), slug, second, service.id);
    const created = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.equal(created.body.offeredTo, 2);
    const id = created.body.jobRequest.id;
    const taken = await env().api.post(`/api/v1/job-requests/${id}/accept`, {}, helper.auth);
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    const bookingId = taken.body.booking.id;

    for (const viewer of [customer, staff, helper]) {
      const job = (await env().api.get(`/api/v1/job-requests/${id}`, viewer.auth)).body.jobRequest;
      assert.equal(job.bookingId, bookingId);
      assert.ok(
        (await getPage(env(), `/c/${slug}/job-requests/${id}`, viewer)).body.includes(`/bookings/${bookingId}"`),
      );
    }
    const other = (await env().api.get(`/api/v1/job-requests/${id}`, second.auth)).body.jobRequest;
    assert.deepEqual([other.taken, other.takenByYou, other.bookingId], [true, false, null]);
    const page = await getPage(env(), `/c/${slug}/job-requests/${id}`, second);
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes(`/bookings/${bookingId}"`), "no link to a booking that is not theirs");
    assert.equal((await env().api.get(`/api/v1/bookings/${bookingId}`, second.auth)).status, 404);
  });
});
