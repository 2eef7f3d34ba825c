import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";

// Two attempts stamped the same millisecond (the clock is read before the course's lock, so a
// later attempt may even carry an earlier time): "last time" is the one written last.
describeEachDatabase("academy: attempts made at the same moment", (env) => {
  test("the mistakes shown are those of the attempt written last", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const yesNo = (text: string) => ({
      text,
      kind: "single",
      options: [{ text: "Yes", correct: true }, { text: "No" }],
    });
    const created = await env().api.post(
      `/api/v1/communities/${slug}/courses`,
      {
        title: "Wi-Fi basics",
        description: "Two questions.",
        passMark: 100,
        maxAttempts: 5,
        cooldownMinutes: 0,
        validityDays: 365,
        lessons: [{ title: "Bands", body: "2.4 and 5 GHz." }],
        questions: [yesNo("Is 5 GHz faster?"), yesNo("Does 2.4 GHz reach further?")],
      },
      admin.auth,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const course = created.body.course;
    const [first, second] = course.questions.map((q: { id: number }) => q.id);
    const pick = (q: any, text: string) => ({
      questionId: q.id,
      optionIds: [q.options.find((o: any) => o.text === text).id],
    });
    const attempt = (texts: string[]) =>
      env().api.post(
        `/api/v1/courses/${course.id}/attempts`,
        { answers: course.questions.map((q: any, i: number) => pick(q, texts[i])) },
        member.auth,
      );
    // The fake clock stands still: every attempt has the same time.
    for (const [texts, wrong] of [
      [["No", "Yes"], [first]],
      [["Yes", "No"], [second]],
      [["No", "Yes"], [first]],
      [["Yes", "No"], [second]],
    ] as const) {
      assert.equal((await attempt([...texts])).status, 201);
      const read = await env().api.get(`/api/v1/courses/${course.id}`, member.auth);
      assert.deepEqual(read.body.course.me.lastMistakes, wrong);
    }
  });
});
