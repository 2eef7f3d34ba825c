import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { totals } from "../reputation/support.ts";
import { browse } from "../web/web-helpers.ts";

describeEachDatabase("a merged topic's question is not an answer", (env) => {
  test("it is offered no accept button, and accepting it is refused: no solution, no kudos", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [first, second, helper] = members.member;
    const [mod] = members.moderator;
    const source = await buildTopic(env(), slug, first, { title: "Router keeps dropping Wi-Fi at night" });
    const target = await buildTopic(env(), slug, second, { title: "Wi-Fi drops every night around 2 am" });
    const answer = await buildReply(env(), target.id, helper, "Switch off the nightly channel scan.");
    const merged = await env().api.post(`/api/v1/topics/${source.id}/merge`, { intoTopicId: target.id }, mod.auth);
    assert.equal(merged.status, 200, JSON.stringify(merged.body));

    const { replies } = (await env().api.get(`/api/v1/topics/${target.id}`, second.auth)).body;
    const question = replies.find((r: { mergedFromTopicId: number | null }) => r.mergedFromTopicId === source.id);
    const real = replies.find((r: { id: number }) => r.id === answer.id);
    assert.deepEqual([question.abilities.accept, real.abilities.accept], [false, true]);

    const refused = await env().api.post(`/api/v1/topics/${target.id}/accept`, { replyId: question.id }, second.auth);
    assert.equal(refused.status, 422);
    assert.deepEqual(refused.body.error.fields, {
      replyId: "A merged question is not an answer: it cannot be accepted.",
    });
    const after = (await env().api.get(`/api/v1/topics/${target.id}`, second.auth)).body.topic;
    assert.deepEqual([after.status, after.acceptedReplyId], ["answered", null]);
    assert.equal((await totals(env(), community.id, first.id)).kudos, 0, "no answer kudos for asking");

    const form = await (await browse(env(), second)).submit(`/c/${slug}/t/${target.id}/accept`, {
      replyId: String(question.id),
    });
    assert.equal(form.status, 422);
    assert.match(form.body, /A merged question is not an answer: it cannot be accepted\./);
  });
});
