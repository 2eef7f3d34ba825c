import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";

/**
 * Sends each change as its own request, all at once (on PostgreSQL they run at the same time), and
 * answers the settings stored afterwards and how many changes the audit log recorded.
 */
async function changeAtOnce(env: TestEnv, admin: TestUser, url: string, method: "PATCH" | "PUT", changes: object[]) {
  const results = await Promise.all(changes.map((change) => env.api.request(method, url, change, admin.auth)));
  for (const res of results) assert.equal(res.status, 200, JSON.stringify(res.body));
  return (await env.api.get(url, admin.auth)).body;
}

const auditCount = async (env: TestEnv, action: string) =>
  (await env.deps.db.selectFrom("auditLog").select("id").where("action", "=", action).execute()).length;

describeEachDatabase("community settings changed at the same moment", (env) => {
  test("admins changing different kudos values at once keep every change, each audited", async () => {
    const { slug, admin } = await buildCommunity(env());
    const points = {
      replyUpvoted: 11,
      replyDownvoted: -3,
      answerAccepted: 16,
      topicUpvoted: 6,
      topicDownvoted: -1,
      officialBonus: 4,
    };
    const url = `/api/v1/communities/${slug}/settings/reputation`;
    const changes = Object.entries(points).map(([name, value]) => ({ points: { [name]: value } }));
    const stored = await changeAtOnce(env(), admin, url, "PATCH", changes);
    assert.deepEqual(stored.settings.points, points);
    assert.equal(await auditCount(env(), "settings.reputation"), 6);
  });

  test("moderation settings changed one each at once keep every change, each audited", async () => {
    const { slug, admin } = await buildCommunity(env());
    const wanted = {
      approveFirstPosts: 2,
      flagsToHide: 5,
      trustedFlaggerKudos: 300,
      topicsPerHour: 7,
      repliesPerHour: 40,
    };
    const url = `/api/v1/communities/${slug}/settings/moderation`;
    const changes = Object.entries(wanted).map(([name, value]) => ({ [name]: value }));
    const { settings } = await changeAtOnce(env(), admin, url, "PATCH", changes);
    for (const [name, value] of Object.entries(wanted)) assert.equal(settings[name], value, name);
    assert.equal(await auditCount(env(), "settings.moderation"), 5);
  });
});
