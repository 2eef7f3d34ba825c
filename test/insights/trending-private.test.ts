import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase, type TestUser } from "../helpers.ts";
import { rollUpCommunity } from "../../src/insights/insights.rollups.jobs.ts";

const at = (month: number, day: number) => Date.UTC(month === 12 ? 2025 : 2026, month - 1, day, 10);

describeEachDatabase("insights: trending subjects of topics the reader may not read", (env) => {
  test("a moderator's trending leaves out a private category's words, live and from the rollups", async () => {
    env().clock.set(at(12, 1));
    const { slug, community, categories, members } = await buildCommunity(env(), {
      categories: ["Billing", "Internet"],
      members: { member: 1, staff: 1, moderator: 1 },
    });
    const [billing, internet] = categories;
    await env().deps.db.updateTable("categories").set({ scope: "private" }).where("id", "=", billing.id).execute();
    const [asker] = members.member;
    for (const [month, secret, open] of [
      [12, "zqdecember", "zqroutersdec"],
      [1, "zqjanuary", "zqroutersjan"],
    ] as const) {
      env().clock.set(at(month, 10));
      await buildTopic(env(), slug, asker, {
        title: `Refund ${secret}`,
        tags: [`${secret}tag`],
        categoryId: billing.id,
      });
      await buildTopic(env(), slug, asker, { title: `Slow ${open}`, tags: ["wifi"], categoryId: internet.id });
    }
    env().clock.set(at(1, 14));
    const trending = async (reader: TestUser, range: string) => {
      const res = await env().api.get(`/api/v1/communities/${slug}/insights?${range}`, reader.auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.trending.map((t: { term: string }) => t.term).join(" ");
    };
    const [staff] = members.staff;
    const [moderator] = members.moderator;
    const check = async (when: string) => {
      for (const [range, secret, open] of [
        ["from=2025-12-01&to=2025-12-31", "zqdecember", "zqroutersdec"],
        ["from=2026-01-01&to=2026-01-14", "zqjanuary", "zqroutersjan"],
      ]) {
        const seen = { staff: await trending(staff, range), moderator: await trending(moderator, range) };
        assert.match(
          seen.staff,
          new RegExp(`${secret}tag.*${secret}`),
          `${when}, ${range}: staff read the billing topics`,
        );
        assert.doesNotMatch(seen.moderator, new RegExp(secret), `${when}, ${range}: the moderator does not`);
        assert.match(seen.moderator, new RegExp(`wifi.*${open}`), `${when}, ${range}: the rest is the moderator's`);
      }
    };
    await check("live");
    // December is then read from the monthly rollups, January's days from the daily ones.
    assert.ok((await rollUpCommunity(env().deps, community.id, { recheck: true })) > 30);
    await check("rolled up");
  });
});
