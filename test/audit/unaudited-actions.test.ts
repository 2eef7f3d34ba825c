import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";

type Entry = {
  action: string;
  actor: { id: number } | null;
  target: { type: string; id: number | null };
  details: Record<string, unknown>;
};

const auditLog = async (env: TestEnv, slug: string, admin: TestUser): Promise<Entry[]> =>
  (await env.api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries;

/** The entries of one action: who, about what, with which details. */
const logged = (entries: Entry[], action: string) =>
  entries.filter((e) => e.action === action).map((e) => [e.actor?.id, e.target, e.details]);

describeEachDatabase("actions that were not audited", (env) => {
  test("setting and removing the help-desk webhook are logged, without its secret or credentials", async () => {
    const { slug, admin, community } = await buildCommunity(env());
    const secret = "very-secret-signing-key-0123456789";
    const url = "https://desk-user:desk-password@desk.example/hook?token=desk-token";
    const body = { url, secret, active: false, timeoutSeconds: 7 };
    assert.equal((await env().api.put(`/api/v1/communities/${slug}/webhook`, body, admin.auth)).status, 200);
    const target = { type: "community", id: community.id };
    const hook = { url: "https://desk.example/hook?token=*", active: false, timeoutSeconds: 7 };
    const afterSet = await auditLog(env(), slug, admin);
    assert.deepEqual(logged(afterSet, "webhook.update"), [[admin.id, target, hook]]);
    assert.equal(afterSet.length, 1);

    const removed = await env().api.request("DELETE", `/api/v1/communities/${slug}/webhook`, undefined, admin.auth);
    assert.ok(removed.status < 300, String(removed.status));
    // Removing it again changes nothing, and logs nothing.
    await env().api.request("DELETE", `/api/v1/communities/${slug}/webhook`, undefined, admin.auth);
    const entries = await auditLog(env(), slug, admin);
    assert.deepEqual(logged(entries, "webhook.delete"), [[admin.id, target, hook]]);
    assert.equal(entries.length, 2);
    const stored = JSON.stringify(entries);
    for (const credential of [secret, "desk-password", "desk-user", "desk-token"])
      assert.ok(!stored.includes(credential), `the audit log holds no ${credential}`);
  });

  test("a marketplace settings change is logged with the change as sent", async () => {
    const { slug, admin, community } = await buildCommunity(env());
    const change = { platformFeePercent: 15, currency: "EUR" };
    const res = await env().api.patch(`/api/v1/communities/${slug}/marketplace-settings`, change, admin.auth);
    assert.equal(res.status, 200);
    const entries = await auditLog(env(), slug, admin);
    assert.deepEqual(logged(entries, "settings.marketplace"), [
      [admin.id, { type: "community", id: community.id }, { change }],
    ]);
    assert.equal(entries.length, 1);
  });

  test("marking a topic as a duplicate and removing the mark are logged with the moderator and the original", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { moderator: 1, member: 1 } });
    const [moderator] = members.moderator;
    const original = await buildTopic(env(), slug, members.member[0]);
    const copy = await buildTopic(env(), slug, members.member[0], { title: "Router keeps blinking red" });
    const path = `/api/v1/topics/${copy.id}/duplicate`;
    assert.equal((await env().api.post(path, { of: original.id }, moderator.auth)).status, 200);
    const target = { type: "topic", id: copy.id };
    const afterMark = await auditLog(env(), slug, admin);
    assert.deepEqual(logged(afterMark, "topic.markDuplicate"), [[moderator.id, target, { originalId: original.id }]]);
    assert.equal(afterMark.length, 1);

    assert.equal((await env().api.request("DELETE", path, undefined, moderator.auth)).status, 200);
    // A topic that is no duplicate any more: nothing to remove, nothing logged.
    assert.equal((await env().api.request("DELETE", path, undefined, moderator.auth)).status, 200);
    const entries = await auditLog(env(), slug, admin);
    assert.deepEqual(logged(entries, "topic.unmarkDuplicate"), [[moderator.id, target, { originalId: original.id }]]);
    assert.equal(entries.length, 2);
  });
});
