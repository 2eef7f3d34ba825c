import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { assertTotalsMatchLedger, patchSettings, totals } from "./support.ts";
import { drainJobs } from "../notifications/support.ts";

describeEachDatabase("reputation: accepting one's own reply on someone else's question", (env) => {
  test("a moderator or staff member who accepts their own reply earns nothing, and withdrawing takes nothing", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), {
      members: { member: 1, moderator: 1, staff: 1 },
    });
    const [asker] = members.member;
    const [moderator] = members.moderator;
    const [staff] = members.staff;
    await patchSettings(env(), slug, admin, "reputation", { points: { officialBonus: 5 } });
    const topic = await buildTopic(env(), slug, asker);
    const accept = (replyId: number, by: typeof asker) =>
      env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId }, by.auth);

    const byModerator = await buildReply(env(), topic.id, moderator, "Try restarting the router.");
    assert.equal((await accept(byModerator.id, moderator)).status, 200, "staff and moderators may accept");
    assert.equal((await totals(env(), community.id, moderator.id)).kudos, 0);

    const official = await buildReply(env(), topic.id, staff, "Official answer.");
    assert.equal((await accept(official.id, staff)).status, 200);
    assert.equal((await totals(env(), community.id, staff.id)).kudos, 0, "neither the 15 nor the official bonus");
    const withdrawn = await env().api.delete(`/api/v1/topics/${topic.id}/accept`, staff.auth);
    assert.equal(withdrawn.status, 200, "withdrawing reverses nothing never earned");
    assert.equal((await totals(env(), community.id, staff.id)).kudos, 0);

    assert.equal((await accept(official.id, asker)).status, 200);
    assert.equal((await totals(env(), community.id, staff.id)).kudos, 20, "accepted by the asker: 15 + bonus 5");
    await assertTotalsMatchLedger(env(), community.id);
  });

  test("nor a badge or an accepted count: the first accepted answer is one someone else accepted", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const [asker] = members.member;
    const [staff] = members.staff;
    const topic = await buildTopic(env(), slug, asker);
    const official = await buildReply(env(), topic.id, staff, "Official answer.");
    const badges = async () => {
      await drainJobs(env());
      const res = await env().api.get(`/api/v1/communities/${slug}/members/${staff.id}/profile`);
      return res.body.profile.badges.map((b: { badge: string }) => b.badge);
    };
    const accept = (by: typeof asker) =>
      env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: official.id }, by.auth);
    assert.equal((await accept(staff)).status, 200);
    const acceptedAnswers = async () =>
      (await env().api.get(`/api/v1/communities/${slug}/members/${staff.id}/profile`)).body.profile.acceptedAnswers;
    assert.ok(!(await badges()).includes("first_accepted"), "accepted by its own author");
    assert.equal(await acceptedAnswers(), 0, "nor an accepted answer on the profile, as for the badge");
    assert.equal((await accept(asker)).status, 200, "the asker accepts it too");
    assert.ok((await badges()).includes("first_accepted"));
    assert.equal(await acceptedAnswers(), 1);
  });
});
