import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

describeEachDatabase("academy refused attempts", (env) => {
  test("a member suspended while answering gets the quiz back with their answers; nothing is recorded", async () => {
    const { slug, admin, members, community } = await buildCommunity(env(), { members: { member: 1 } });
    const quiz = {
      title: "TV basics",
      questions: [
        { text: "Which cable?", kind: "single", options: [{ text: "HDMI", correct: true }, { text: "USB" }] },
      ],
    };
    const { course } = (await env().api.post(`/api/v1/communities/${slug}/courses`, quiz, admin.auth)).body;
    const [member] = members.member;
    const learner = await browse(env(), member);
    assert.match((await learner.get(course.url)).body, /class="quiz"/, "the quiz is open before the suspension");
    await env()
      .deps.db.updateTable("memberships")
      .set({ suspendedUntil: env().clock.now() + 86_400_000, suspensionReason: "Spam" })
      .where("communityId", "=", community.id)
      .where("userId", "=", member.id)
      .execute();

    const [question] = course.questions;
    const picked = question.options[1].id;
    const refused = await learner.submit(`${course.url}/attempt`, { [`q${question.id}`]: String(picked) });
    assert.equal(refused.status, 403);
    // Told why, with the end and the reason, as every refusal of a suspended member is.
    assert.match(refused.body, /role="alert"[\s\S]*You are suspended from this community until [^<]+\. Reason: Spam/);
    assert.match(refused.body, new RegExp(`name="q${question.id}" value="${picked}" checked`), "the answer is kept");
    const api = await env().api.post(`/api/v1/courses/${course.id}/attempts`, { answers: [] }, member.auth);
    assert.equal(api.status, 403);
    assert.match(api.body.error.message, /suspended from this community until .* Reason: Spam/);
    assert.deepEqual(await env().deps.db.selectFrom("quizAttempts").select("id").execute(), []);
  });
});
