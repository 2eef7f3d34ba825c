import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";

describeEachDatabase("every settings change is in the audit log", (env) => {
  test("account, insights, moderation and reputation settings changes are logged with who and what", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { staff: 1 } });
    const [staff] = members.staff;
    const changes: [string, string, Record<string, unknown>, typeof admin][] = [
      ["PATCH", `/api/v1/communities/${slug}/settings/accounts`, { unverifiedMayPost: false }, admin],
      ["PUT", `/api/v1/communities/${slug}/insights/settings`, { costPerContactCents: 1250 }, staff],
      ["PATCH", `/api/v1/communities/${slug}/settings/moderation`, { flagsToHide: 4 }, admin],
      ["PATCH", `/api/v1/communities/${slug}/settings/reputation`, { dailyVoteCap: 150 }, admin],
    ];
    for (const [method, url, body, who] of changes)
      assert.equal((await env().api.request(method, url, body, who.auth)).status, 200, url);
    const entries = (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries;
    const logged = entries
      .map((e: any) => [e.action, e.actor.id, e.details.change])
      .sort((a: any, b: any) => a[0].localeCompare(b[0]));
    assert.deepEqual(logged, [
      ["settings.accounts", admin.id, { unverifiedMayPost: false }],
      ["settings.insights", staff.id, { costPerContactCents: 1250 }],
      ["settings.moderation", admin.id, { flagsToHide: 4 }],
      ["settings.reputation", admin.id, { dailyVoteCap: 150 }],
    ]);
    const page = await getPage(env(), `/c/${slug}/audit`, admin);
    assert.match(page.body, /Account settings changed/);
    assert.match(page.body, /Insights settings changed/);
  });

  test("a refused settings change leaves no audit entry", async () => {
    const { slug, admin } = await buildCommunity(env());
    const bad = await env().api.request(
      "PUT",
      `/api/v1/communities/${slug}/insights/settings`,
      { currency: "euro" },
      admin.auth,
    );
    assert.equal(bad.status, 422);
    const entries = (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries;
    assert.deepEqual(entries, []);
  });
});
