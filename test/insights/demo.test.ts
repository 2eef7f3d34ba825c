import { test } from "node:test";
import assert from "node:assert/strict";
import { seedDemoIfEmpty } from "../../src/app/demo.seed.ts";
import { createSession } from "../../src/accounts/accounts.service.ts";
import { describeEachDatabase } from "../helpers.ts";

describeEachDatabase("demo insights", (env) => {
  test("the demo community shows months of history on its Insights page", async () => {
    await seedDemoIfEmpty(env().deps);
    const staff = await env()
      .deps.db.selectFrom("users")
      .select("id")
      .where("email", "=", "staff@demo.test")
      .executeTakeFirstOrThrow();
    const cookie = `cs_session=${await createSession(env().deps, staff.id)}`;
    const res = await env().api.get("/api/v1/communities/demo/insights?interval=week", { cookie });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { summary, series, trending } = res.body;
    assert.ok(summary.topics > 50, `topics: ${summary.topics}`);
    assert.ok(summary.answerRate > 0.5 && summary.answerRate < 1);
    assert.ok(summary.firstResponseMedianMinutes > 0);
    assert.ok(summary.deflected > 10 && summary.searches > summary.deflected);
    assert.ok(summary.roi.netCents > 0);
    assert.equal(summary.roi.currency, "CHF");
    assert.ok(
      series.every((w: { topics: number }) => w.topics > 0),
      "every week has topics",
    );
    assert.equal(trending[0].term, "wifi", "Wi-Fi trends in the last weeks");
    const months = await env().api.get("/api/v1/communities/demo/insights?from=2025-09-01&interval=month", { cookie });
    assert.ok(months.body.series.filter((m: { topics: number }) => m.topics > 0).length >= 4, "four months of history");
    const measured = await env()
      .deps.db.selectFrom("categories")
      .select("measuredResponseMinutes")
      .where("measuredResponseMinutes", "is not", null)
      .execute();
    assert.ok(measured.length >= 1, "a category's measured first response");
  });
});
