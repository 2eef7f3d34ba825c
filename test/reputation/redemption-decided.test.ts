import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

describeEachDatabase("a redemption decided twice", (env) => {
  test("the staff form says in the reader's language that someone decided it already", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const [member, staff] = [members.member[0], members.staff[0]];
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", staff.id).execute();
    const body = { name: "Sticker", description: "For your router", price: 5 };
    const created = await env().api.post(`/api/v1/communities/${slug}/rewards`, body, staff.auth);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const reward = created.body.reward;
    // An upvoted answer earns the member the kudos to spend.
    const answer = await buildReply(env(), (await buildTopic(env(), slug, staff)).id, member, "Restart the router.");
    const voter = await buildUser(env());
    assert.equal((await env().api.put(`/api/v1/replies/${answer.id}/vote`, { value: 1 }, voter.auth)).status, 200);
    const redeemed = await env().api.post(`/api/v1/communities/${slug}/rewards/${reward.id}/redeem`, {}, member.auth);
    assert.equal(redeemed.status, 201, JSON.stringify(redeemed.body));
    const id = redeemed.body.redemption.id;
    const fulfilled = await env().api.post(`/api/v1/communities/${slug}/redemptions/${id}/fulfil`, {}, staff.auth);
    assert.equal(fulfilled.status, 200);

    const late = await (await browse(env(), staff)).submit(`/c/${slug}/redemptions/${id}/decide`, {
      decision: "reject",
    });
    assert.equal(late.status, 409);
    assert.match(late.body, /Über diese Einlösung hat schon jemand entschieden/);
  });
});
