import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";

describeEachDatabase("profile: accepted answers", (env) => {
  test("an accepted reply a moderator hid is not counted, as for the badges; restored, it counts again", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, other] = members.member;
    const [mod] = members.moderator;
    const replies = [];
    for (const title of ["Router keeps blinking red", "TV box keeps rebooting"]) {
      const topic = await buildTopic(env(), slug, asker, { title });
      const reply = await buildReply(env(), topic.id, helper);
      const accepted = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      replies.push(reply);
    }
    const acceptedAnswers = async () =>
      (await env().api.get(`/api/v1/communities/${slug}/members/${helper.id}/profile`, other.auth)).body.profile
        .acceptedAnswers;
    assert.equal(await acceptedAnswers(), 2);

    const hidden = await env().api.post(
      `/api/v1/posts/reply/${replies[0].id}/hide`,
      { reason: "Advertising" },
      mod.auth,
    );
    assert.equal(hidden.body.state, "hidden");
    assert.equal(await acceptedAnswers(), 1, "the hidden reply is no accepted answer on the profile");

    const restored = await env().api.post(`/api/v1/posts/reply/${replies[0].id}/restore`, {}, mod.auth);
    assert.equal(restored.body.state, "visible");
    assert.equal(await acceptedAnswers(), 2);
  });
});
