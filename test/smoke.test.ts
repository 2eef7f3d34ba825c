import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "./helpers.ts";

describeEachDatabase("smoke", (env) => {
  test("ask, answer, vote, accept", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    const voted = await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, asker.auth);
    assert.equal(voted.status, 200);
    assert.equal(voted.body.score, 1);
    const accepted = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
    assert.equal(accepted.status, 200);
    const page = await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth);
    assert.equal(page.body.topic.status, "solved");
    assert.equal(page.body.replies[0].accepted, true);
  });
});
