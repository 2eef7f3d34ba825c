import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { rollUpCommunity } from "../../src/insights/insights.rollups.jobs.ts";
import { startOfDate } from "../../src/insights/insights.time.ts";

const SANTIAGO = "America/Santiago";
const AMMAN = "Asia/Amman";

test("a day begins when the clocks first show it, where a daylight-saving change skips or repeats midnight", () => {
  // Santiago, 7 September 2025: at midnight (-04) the clocks jump to 01:00 (-03); 23:30 on the 6th is 03:30 UTC.
  assert.equal(startOfDate("2025-09-07", SANTIAGO), Date.UTC(2025, 8, 7, 4));
  assert.equal(startOfDate("2025-09-08", SANTIAGO), Date.UTC(2025, 8, 8, 3));
  // Amman, 15 September 1995: at 01:00 (+03) the clocks went back to 00:00 (+02): the day began at the first midnight.
  assert.equal(startOfDate("1995-09-15", AMMAN), Date.UTC(1995, 8, 14, 21));
  assert.equal(startOfDate("2026-01-14", "Europe/Zurich"), Date.UTC(2026, 0, 13, 23), "an ordinary midnight");
});

describeEachDatabase("insights: a skipped midnight", (env) => {
  test("a question posted at 23:30 before clocks skip midnight counts on its own day, live and rolled up", async () => {
    env().clock.set(Date.UTC(2025, 8, 1, 12));
    const { slug, admin, members, community } = await buildCommunity(env(), { members: { member: 1 } });
    const set = await env().api.put(
      `/api/v1/communities/${slug}/insights/settings`,
      { timezone: SANTIAGO },
      admin.auth,
    );
    assert.equal(set.status, 200, JSON.stringify(set.body));
    env().clock.set(Date.UTC(2025, 8, 7, 3, 30)); // 23:30 on Saturday 6 September in Santiago
    const topic = await buildTopic(env(), slug, members.member[0]);
    env().clock.set(Date.UTC(2025, 8, 7, 4, 30)); // 01:30 on Sunday 7 September, after the change
    await buildReply(env(), topic.id, admin);
    env().clock.set(Date.UTC(2025, 8, 20, 15));

    const days = async () => {
      const res = await env().api.get(`/api/v1/communities/${slug}/insights?from=2025-09-06&to=2025-09-07`, admin.auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.series.map((r: { date: string; topics: number; firstResponseMedianMinutes: number | null }) => [
        r.date,
        r.topics,
        r.firstResponseMedianMinutes,
      ]);
    };
    const expected = [
      ["2025-09-06", 1, 60],
      ["2025-09-07", 0, null],
    ];
    assert.deepEqual(await days(), expected, "live");
    assert.ok((await rollUpCommunity(env().deps, community.id, { recheck: false })) > 0);
    assert.deepEqual(await days(), expected, "from the rollups");
  });
});
