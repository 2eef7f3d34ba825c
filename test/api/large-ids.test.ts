import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";

const ABOVE_INT32 = 2 ** 31 + 7;

describeEachDatabase("ids above 2^31", (env) => {
  test("notification cursors and ids, the live topic and page cursors are refused or ignored, never a 500", async () => {
    const { admin, slug } = await buildCommunity(env());
    const api = [
      await env().api.get(`/api/v1/notifications?cursor=${ABOVE_INT32}`, admin.auth),
      await env().api.post("/api/v1/notifications/read", { ids: [ABOVE_INT32] }, admin.auth),
      await env().api.get(`/api/v1/events?topic=${ABOVE_INT32}`, admin.auth),
    ];
    assert.deepEqual(
      api.map((res) => res.status),
      [422, 422, 422],
    );
    for (const url of [`/me/notifications?cursor=${ABOVE_INT32}`, `/c/${slug}/review-queue?before=${ABOVE_INT32}`]) {
      const res = await env().app.inject({ method: "GET", url, headers: { cookie: admin.cookie } });
      assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
    }
  });
});
