import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import type { TestEnv } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";
import { describeMarket, jobBody, market } from "./support.ts";

/** The clock the other marketplace tests start from: Thursday 1 January 2026, 12:00 UTC. */
const NEW_YEAR = Date.UTC(2026, 0, 1, 12);

type Market = Awaited<ReturnType<typeof market>>;

type Suspend = (env: TestEnv, m: Market) => Promise<{ status: number; body: unknown }>;

/**
 * The two ways a helper stops selling in a community, with what Accept answers then: suspended as a
 * service friend (409, not taking jobs), or as a member (403, the privilege is gone while suspended).
 */
const SUSPENSIONS: Record<string, { suspend: Suspend; acceptStatus: number }> = {
  "suspended as a service friend by staff": {
    acceptStatus: 409,
    suspend: (env, m) =>
      env.api.post(
        `/api/v1/helper-applications/${m.application.id}/decision`,
        { decision: "suspend", reason: "Complaints from customers." },
        m.admin.auth,
      ),
  },
  "suspended in the community": {
    acceptStatus: 403,
    suspend: (env, m) =>
      env.api.put(
        `/api/v1/communities/${m.slug}/members/${m.helper.id}/suspension`,
        { days: 7, reason: "Rude to customers" },
        m.admin.auth,
      ),
  },
};

describeMarket("the job offers list answers as Accept does for a suspended helper", (env) => {
  beforeEach(() => env().clock.set(NEW_YEAR));

  for (const [how, { suspend, acceptStatus }] of Object.entries(SUSPENSIONS))
    test(`a helper ${how} has no Accept, and the list says why`, async () => {
      const m = await market(env());
      const asked = await env().api.post(
        `/api/v1/communities/${m.slug}/job-requests`,
        jobBody(env(), m.service.id),
        m.customer.auth,
      );
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.equal(asked.body.offeredTo, 1);
      const job = asked.body.jobRequest;
      const list = async () => (await env().api.get("/api/v1/me/job-offers", m.helper.auth)).body.jobOffers;
      const [before] = await list();
      assert.deepEqual([before.id, before.canAccept, before.acceptRefusal], [job.id, true, null]);

      const suspended = await suspend(env(), m);
      assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
      const [after] = await list();
      assert.deepEqual([after.id, after.canAccept, after.acceptRefusal], [job.id, false, "suspended"]);
      const page = (await (await browse(env(), m.helper)).get(`/c/${m.slug}/service-friends/mine`)).body;
      assert.ok(!page.includes(`action="/c/${m.slug}/job-requests/${job.id}/accept"`), "no Accept");
      assert.ok(page.includes("Suspended: you cannot take jobs for now"), "the page says why");
      const accept = await env().api.post(`/api/v1/job-requests/${job.id}/accept`, {}, m.helper.auth);
      assert.equal(accept.status, acceptStatus, JSON.stringify(accept.body));
    });
});
