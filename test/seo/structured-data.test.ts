import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { fetchPath, jsonLdOf, ofType } from "./support.ts";

describeEachDatabase("structured data of a question", (env) => {
  test("the asker's own follow-ups are no answers: not suggested, not counted", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, other] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "TV box keeps rebooting" });
    await buildReply(env(), topic.id, helper, "Unplug it for thirty seconds.");
    await buildReply(env(), topic.id, asker, "Still reboots after that.");
    const answer = await buildReply(env(), topic.id, other, "Swap the power supply.");
    const res = await fetchPath(env(), topic.url);
    assert.equal(res.status, 200);
    const question = ofType(jsonLdOf(res.body), "QAPage").mainEntity;
    assert.equal(question.answerCount, 2);
    assert.deepEqual(question.suggestedAnswer.map((a: any) => a.text).sort(), [
      "Swap the power supply.",
      "Unplug it for thirty seconds.",
    ]);
    assert.ok(question.suggestedAnswer.every((a: any) => a.author.name !== asker.name));
    await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: answer.id }, asker.auth);
    const solved = ofType(jsonLdOf((await fetchPath(env(), topic.url)).body), "QAPage").mainEntity;
    assert.equal(solved.answerCount, 2);
    assert.equal(solved.acceptedAnswer.text, "Swap the power supply.");
    assert.deepEqual(
      solved.suggestedAnswer.map((a: any) => a.text),
      ["Unplug it for thirty seconds."],
    );
  });
});

describeEachDatabase("structured data of a self-answered question", (env) => {
  test("the asker's own reply, accepted as the solution, is the acceptedAnswer and is counted", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "TV box keeps rebooting" });
    await buildReply(env(), topic.id, helper, "Unplug it for thirty seconds.");
    const own = await buildReply(env(), topic.id, asker, "A firmware update fixed it.");
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: own.id }, asker.auth)).status,
      200,
    );
    const question = ofType(jsonLdOf((await fetchPath(env(), topic.url)).body), "QAPage").mainEntity;
    assert.equal(question.acceptedAnswer?.text, "A firmware update fixed it.");
    assert.equal(question.acceptedAnswer.author.name, asker.name);
    assert.deepEqual(
      question.suggestedAnswer.map((a: any) => a.text),
      ["Unplug it for thirty seconds."],
    );
    assert.equal(question.answerCount, 2, "every answer the markup lists");
  });
});
