import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { browse, getPage } from "../web/web-helpers.ts";

describeEachDatabase("academy times", (env) => {
  test("the course page and a refused attempt show the next attempt in the community's time zone", async () => {
    env().clock.set(Date.UTC(2026, 0, 1, 23, 30)); // 00:30 on January 2 in Zurich
    const { slug, admin, members, community } = await buildCommunity(env(), { members: { member: 1 } });
    await env()
      .deps.db.updateTable("communities")
      .set({ timeZone: "Europe/Zurich" })
      .where("id", "=", community.id)
      .execute();
    const quiz = {
      title: "TV basics",
      cooldownMinutes: 60,
      questions: [
        { text: "Which cable?", kind: "single", options: [{ text: "HDMI", correct: true }, { text: "USB" }] },
      ],
    };
    const { course } = (await env().api.post(`/api/v1/communities/${slug}/courses`, quiz, admin.auth)).body;
    const [member] = members.member;
    const failed = await env().api.post(`/api/v1/courses/${course.id}/attempts`, { answers: [] }, member.auth);
    assert.equal(failed.body.passed, false);

    // The next attempt is at 00:30 UTC, 01:30 in Zurich.
    const nextAttempt = /Next attempt possible <time datetime="2026-01-02T00:30:00.000Z">Fri, Jan 2, 2026, 01:30 AM/;
    const page = await getPage(env(), course.url, member);
    assert.match(page.body, nextAttempt);
    const [question] = course.questions;
    const soon = await (await browse(env(), member)).submit(`${course.url}/attempt`, {
      [`q${question.id}`]: String(question.options[0].id),
    });
    assert.equal(soon.status, 429);
    assert.match(soon.body, /Please wait until Fri, Jan 2, 2026, 01:30 AM before your next attempt/);
    assert.match(soon.body, nextAttempt);
  });
});
