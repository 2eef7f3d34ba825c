import { test } from "node:test";
import assert from "node:assert/strict";
import { actorOf, openingTransactionAfter, type TestEnv } from "../helpers.ts";
import * as bookings from "../../src/marketplace/bookings.service.ts";
import { acceptJob } from "../../src/marketplace/dispatch.service.ts";
import { AppError } from "../../src/core/errors.ts";
import { bookingBody, describeMarket, jobBody, market, requestBooking } from "./support.ts";

type Market = Awaited<ReturnType<typeof market>>;

/** Staff suspend the helper as a member of the community (not as a service friend). */
const suspendingInCommunity = (env: TestEnv, m: Market) =>
  openingTransactionAfter(env.deps, async () => {
    const res = await env.api.put(
      `/api/v1/communities/${m.slug}/members/${m.helper.id}/suspension`,
      { days: 7, reason: "Rude to customers" },
      m.admin.auth,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

const refusedWith = (message: string) => (error: unknown) => {
  assert.ok(error instanceof AppError);
  assert.deepEqual([error.code, error.message], ["conflict", message]);
  return true;
};

/**
 * A community suspension that lands after an acceptance's first checks, as it opens its transaction,
 * is read again under the helper's lock (lockHelper): the suspended helper accepts nothing.
 */
describeMarket("a helper suspended in the community while accepting", (env) => {
  test("a booking request is not accepted", async () => {
    const m = await market(env());
    const booking = await requestBooking(env(), m.offer.id, m.customer, bookingBody(env()));
    await assert.rejects(
      bookings.acceptBooking(suspendingInCommunity(env(), m), booking.id, actorOf(m.helper)),
      refusedWith("This service friend is not taking bookings."),
    );
    const row = await env()
      .deps.db.selectFrom("bookings")
      .select("status")
      .where("id", "=", booking.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, "requested");
  });

  test("a dispatched job is not taken", async () => {
    const m = await market(env());
    const asked = await env().api.post(
      `/api/v1/communities/${m.slug}/job-requests`,
      jobBody(env(), m.service.id),
      m.customer.auth,
    );
    assert.equal(asked.body.offeredTo, 1, JSON.stringify(asked.body));
    const id = asked.body.jobRequest.id;
    await assert.rejects(
      acceptJob(suspendingInCommunity(env(), m), id, actorOf(m.helper)),
      refusedWith("You are not taking jobs in this community at the moment."),
    );
    const job = await env()
      .deps.db.selectFrom("jobRequests")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    assert.equal(job.status, "open");
  });
});
