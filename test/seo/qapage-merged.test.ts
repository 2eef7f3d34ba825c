import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { fetchPath, jsonLdOf, ofType } from "./support.ts";

describeEachDatabase("structured data of a question with a topic merged into it", (env) => {
  test("the merged topic's question is no answer: not suggested, not accepted, not counted", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, otherAsker, helper] = members.member;
    const [mod] = members.moderator;
    const target = await buildTopic(env(), slug, asker, { title: "Router restarts at 2 am" });
    const source = await buildTopic(env(), slug, otherAsker, {
      title: "Router reboots every night",
      body: "Mine reboots every night too.",
    });
    const answer = await buildReply(env(), target.id, helper, "Turn off the automatic firmware update.");
    await buildReply(env(), source.id, helper, "Check the nightly maintenance window.");
    const merged = await env().api.post(`/api/v1/topics/${source.id}/merge`, { intoTopicId: target.id }, mod.auth);
    assert.equal(merged.status, 200, JSON.stringify(merged.body));

    const replies = (await env().api.get(`/api/v1/topics/${target.id}`)).body.replies;
    const question = replies.find((r: any) => r.body === "Mine reboots every night too.");
    assert.equal(question?.mergedFromTopicId, source.id, "the API marks the merged question");
    assert.ok(replies.filter((r: any) => r !== question).every((r: any) => r.mergedFromTopicId === null));

    const ld = ofType(jsonLdOf((await fetchPath(env(), target.url)).body), "QAPage").mainEntity;
    assert.equal(ld.answerCount, 2);
    assert.deepEqual(ld.suggestedAnswer.map((a: any) => a.text).sort(), [
      "Check the nightly maintenance window.",
      "Turn off the automatic firmware update.",
    ]);

    const accepted = await env().api.post(`/api/v1/topics/${target.id}/accept`, { replyId: answer.id }, asker.auth);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const solved = ofType(jsonLdOf((await fetchPath(env(), target.url)).body), "QAPage").mainEntity;
    assert.equal(solved.answerCount, 2);
    assert.equal(solved.acceptedAnswer.text, "Turn off the automatic firmware update.");
    assert.deepEqual(
      solved.suggestedAnswer.map((a: any) => a.text),
      ["Check the nightly maintenance window."],
    );
  });
});
