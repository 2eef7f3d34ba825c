import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { assertTotalsMatchLedger, totals } from "./support.ts";

/** Earns a member kudos the real way: each voter upvotes one of their replies (+10 each). */
async function earn(env: TestEnv, slug: string, member: TestUser, upvotes: number): Promise<void> {
  const asker = await buildUser(env);
  const topic = await buildTopic(env, slug, asker, { title: `Question for ${member.name} ${upvotes}` });
  const reply = await buildReply(env, topic.id, member, `Answer worth ${upvotes} upvotes`);
  for (let i = 0; i < upvotes; i++) {
    const voter = await buildUser(env);
    assert.equal((await env.api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, voter.auth)).status, 200);
  }
}

describeEachDatabase("rewards", (env) => {
  async function setup(price = 30, stock: number | null = null) {
    const built = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
    const staff = built.members.staff[0];
    const created = await env().api.post(
      `/api/v1/communities/${built.slug}/rewards`,
      { name: "Bill credit 10 CHF", description: "On your next bill", price, stock },
      staff.auth,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return {
      ...built,
      staff,
      reward: created.body.reward,
      redeemUrl: `/api/v1/communities/${built.slug}/rewards/${created.body.reward.id}/redeem`,
    };
  }

  test("staff define rewards; members may not", async () => {
    const { slug, members, reward } = await setup();
    assert.deepEqual(reward, {
      id: reward.id,
      name: "Bill credit 10 CHF",
      description: "On your next bill",
      price: 30,
      stock: null,
      active: true,
      valueCents: 0,
    });
    const refused = await env().api.post(
      `/api/v1/communities/${slug}/rewards`,
      { name: "Free", price: 1 },
      members.member[0].auth,
    );
    assert.equal(refused.status, 403);
    assert.equal(
      (await env().api.post(`/api/v1/communities/${slug}/rewards`, { name: "Free", price: 0 }, members.member[0].auth))
        .status,
      422,
    );
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/rewards`)).body.rewards.length, 1);
  });

  test("staff give a reward its money value for the ROI; members do not see it", async () => {
    const { slug, members, reward } = await setup();
    const url = `/api/v1/communities/${slug}/rewards/${reward.id}`;
    const staff = members.staff[0];
    const changed = await env().api.patch(url, { valueCents: 1000 }, staff.auth);
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.reward.valueCents, 1000);
    assert.equal((await env().api.patch(url, { valueCents: -5 }, staff.auth)).status, 422);
    assert.equal((await env().api.patch(url, { valueCents: 5 }, members.member[0].auth)).status, 403);
    const listed = await env().api.get(`/api/v1/communities/${slug}/rewards`, staff.auth);
    assert.equal(listed.body.rewards[0].valueCents, 1000);
    const seen = await env().api.get(`/api/v1/communities/${slug}/rewards`, members.member[0].auth);
    assert.equal("valueCents" in seen.body.rewards[0], false);
  });

  test("redeeming with too few kudos is refused with the price and the balance", async () => {
    const { slug, members, redeemUrl } = await setup();
    const member = members.member[0];
    await earn(env(), slug, member, 2);
    const res = await env().api.post(redeemUrl, {}, member.auth);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, "conflict");
    assert.equal(res.body.error.message, "This reward costs 30 kudos; your balance is 20.");
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}/redemptions`, member.auth)).body.redemptions.length,
      0,
    );
  });

  test("redeeming spends the balance but keeps the kudos that decide rank; a double click redeems once", async () => {
    const { community, slug, members, redeemUrl } = await setup();
    const member = members.member[0];
    await earn(env(), slug, member, 7);
    const key = "double-click-0001";
    const [first, second] = await Promise.all([
      env().api.post(redeemUrl, { idempotencyKey: key }, member.auth),
      env().api.post(redeemUrl, { idempotencyKey: key }, member.auth),
    ]);
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(first.body.redemption.id, second.body.redemption.id);
    assert.deepEqual([first.body.replayed, second.body.replayed].sort(), [false, true]);
    assert.deepEqual(await totals(env(), community.id, member.id), { kudos: 70, balance: 40 });
    const again = await env().api.post(redeemUrl, { idempotencyKey: key }, member.auth);
    assert.equal(again.body.redemption.id, first.body.redemption.id, "the same key later still finds the first");
    // Without a key, the same reward again within seconds counts as the same click.
    const noKey = await env().api.post(redeemUrl, {}, member.auth);
    const noKeyAgain = await env().api.post(redeemUrl, {}, member.auth);
    assert.equal(noKey.body.redemption.id, noKeyAgain.body.redemption.id);
    assert.notEqual(noKey.body.redemption.id, first.body.redemption.id);
    // The Idempotency-Key header works like the field.
    await earn(env(), slug, member, 3);
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${member.auth.token}`,
      "idempotency-key": "header-key-0001",
    };
    const viaHeader = await Promise.all(
      [1, 2].map(() => env().app.inject({ method: "POST", url: redeemUrl, headers, payload: "{}" })),
    );
    assert.equal(JSON.parse(viaHeader[0].body).redemption.id, JSON.parse(viaHeader[1].body).redemption.id);
    assert.deepEqual(await totals(env(), community.id, member.id), { kudos: 100, balance: 10 });
    const mine = await env().api.get(`/api/v1/communities/${slug}/redemptions`, member.auth);
    assert.equal(mine.body.redemptions.length, 3);
    await assertTotalsMatchLedger(env(), community.id);
  });

  test("staff fulfil or reject; rejecting refunds and restocks; the ledger records each step", async () => {
    const { community, slug, admin, members, staff, reward, redeemUrl } = await setup(20, 2);
    const [member, other] = members.member;
    await earn(env(), slug, member, 5);
    const a = (await env().api.post(redeemUrl, { idempotencyKey: "first-redemption" }, member.auth)).body.redemption;
    const b = (await env().api.post(redeemUrl, { idempotencyKey: "second-redemption" }, member.auth)).body.redemption;
    assert.equal((await totals(env(), community.id, member.id)).balance, 10);
    await earn(env(), slug, other, 3);
    const soldOut = await env().api.post(redeemUrl, { idempotencyKey: "third-redemption" }, other.auth);
    assert.equal(soldOut.status, 409);
    assert.match(soldOut.body.error.message, /out of stock/);
    const byMember = await env().api.post(`/api/v1/communities/${slug}/redemptions/${a.id}/fulfil`, {}, member.auth);
    assert.equal(byMember.status, 403);
    const pending = await env().api.get(`/api/v1/communities/${slug}/redemptions?status=pending`, staff.auth);
    assert.equal(pending.body.redemptions.length, 2);
    const fulfilled = await env().api.post(
      `/api/v1/communities/${slug}/redemptions/${a.id}/fulfil`,
      { note: "Credited on your June bill" },
      staff.auth,
    );
    assert.equal(fulfilled.body.redemption.status, "fulfilled");
    assert.equal(
      (await env().api.post(`/api/v1/communities/${slug}/redemptions/${a.id}/reject`, {}, staff.auth)).status,
      409,
      "decided once",
    );
    const rejected = await env().api.post(
      `/api/v1/communities/${slug}/redemptions/${b.id}/reject`,
      { note: "Not available in your region" },
      staff.auth,
    );
    assert.equal(rejected.body.redemption.status, "rejected");
    assert.equal((await totals(env(), community.id, member.id)).balance, 30, "refunded");
    const list = await env().api.get(`/api/v1/communities/${slug}/rewards`);
    assert.equal(list.body.rewards[0].stock, 1, "restocked");
    const ledger = await env().api.get(`/api/v1/communities/${slug}/members/${member.id}/kudos`, member.auth);
    const spending = ledger.body.entries
      .filter((e: { reason: string }) => e.reason === "reward.redeemed")
      .map((e: { amount: number; reverses: number | null }) => [e.amount, e.reverses !== null]);
    assert.deepEqual(spending, [
      [20, true],
      [-20, false],
      [-20, false],
    ]);
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}/members/${member.id}/kudos`, other.auth)).status,
      403,
      "a ledger is private",
    );
    const audit = await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth);
    assert.deepEqual(
      audit.body.entries
        .map((e: { action: string }) => e.action)
        .filter((a: string) => a.startsWith("redemption") || a.startsWith("reward")),
      ["redemption.reject", "redemption.fulfil", "reward.create"],
    );
    assert.equal(
      (await env().api.patch(`/api/v1/communities/${slug}/rewards/${reward.id}`, { active: false }, staff.auth)).status,
      200,
    );
    assert.equal(
      (await env().api.post(redeemUrl, { idempotencyKey: "after-deactivation" }, member.auth)).status,
      404,
      "inactive rewards cannot be redeemed",
    );
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/rewards`, member.auth)).body.rewards.length, 0);
    await assertTotalsMatchLedger(env(), community.id);
  });
});
