import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, type TestUser } from "../helpers.ts";
import { assertTotalsMatchLedger, patchSettings, totals } from "./support.ts";

/**
 * A hidden solution restored gets back what hiding it took, whoever restores it: the moderator
 * restoring it is not the one who accepted it. Before, the restorer was asked whether the answer was
 * "their own side": a staff member's self-accepted reply (worth nothing) earned the acceptance once a
 * moderator restored it, and a moderator restoring their own reply lost the asker's acceptance.
 */
describeEachDatabase("kudos of a solution hidden and restored", (env) => {
  const accept = (topicId: number, replyId: number, by: TestUser) =>
    env().api.post(`/api/v1/topics/${topicId}/accept`, { replyId }, by.auth);
  const hideAndRestore = async (replyId: number, hider: TestUser, restorer: TestUser) => {
    const hidden = await env().api.post(`/api/v1/posts/reply/${replyId}/hide`, { reason: "Check" }, hider.auth);
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    const restored = await env().api.post(`/api/v1/posts/reply/${replyId}/restore`, {}, restorer.auth);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
  };
  const acceptedReplyOf = async (topicId: number) =>
    (await env().api.get(`/api/v1/topics/${topicId}`)).body.topic.acceptedReplyId;

  test("a staff member's own accepted reply earns nothing when a moderator restores it", async () => {
    const { slug, community, members } = await buildCommunity(env(), {
      members: { member: 1, staff: 1, moderator: 1 },
    });
    const [asker] = members.member;
    const [staff] = members.staff;
    const [moderator] = members.moderator;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, staff);
    assert.equal((await accept(topic.id, reply.id, staff)).status, 200);
    assert.equal((await totals(env(), community.id, staff.id)).kudos, 0, "accepting one's own reply earns nothing");

    await hideAndRestore(reply.id, moderator, moderator);
    assert.equal(await acceptedReplyOf(topic.id), reply.id, "the solution again");
    assert.deepEqual(await totals(env(), community.id, staff.id), { kudos: 0, balance: 0 }, "still nothing");
    await assertTotalsMatchLedger(env(), community.id);
  });

  test("an admin who hides and restores their own accepted reply gets the asker's acceptance back", async () => {
    const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [asker] = members.member;
    await patchSettings(env(), slug, admin, "reputation", { points: { officialBonus: 5 } });
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, admin);
    assert.equal((await accept(topic.id, reply.id, asker)).status, 200);
    assert.equal((await totals(env(), community.id, admin.id)).kudos, 20, "the acceptance and the official bonus");

    await hideAndRestore(reply.id, admin, admin);
    assert.equal(await acceptedReplyOf(topic.id), reply.id);
    assert.deepEqual(await totals(env(), community.id, admin.id), { kudos: 20, balance: 20 }, "both back, once");
    // Hidden and restored again: still once.
    await hideAndRestore(reply.id, admin, admin);
    assert.equal((await totals(env(), community.id, admin.id)).kudos, 20);
    await assertTotalsMatchLedger(env(), community.id);
  });
});
