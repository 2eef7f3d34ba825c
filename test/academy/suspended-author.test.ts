import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { browse, getPage } from "../web/web-helpers.ts";

describeEachDatabase("academy: a suspended staff member is told so", (env) => {
  test("creating a course, by the API and on the page, names the suspension's end and reason", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { staff: 1 } });
    const [staff] = members.staff;
    const suspended = await env().api.put(
      `/api/v1/communities/${slug}/members/${staff.id}/suspension`,
      { days: 7, reason: "Leaked the roadmap" },
      admin.auth,
    );
    assert.equal(suspended.status, 200, JSON.stringify(suspended.body));

    const course = {
      title: "TV basics",
      description: "What every TV set-up helper must know.",
      passMark: 50,
      maxAttempts: 2,
      cooldownMinutes: 0,
      lessons: [{ title: "Cables", body: "The HDMI cable goes from the box to the TV." }],
      questions: [
        {
          text: "Which cable carries the picture?",
          kind: "single",
          options: [{ text: "HDMI", correct: true }, { text: "USB" }],
        },
      ],
    };
    const refused = await env().api.post(`/api/v1/communities/${slug}/courses`, course, staff.auth);
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /suspended from this community until .* Reason: Leaked the roadmap/);

    const page = await getPage(env(), `/c/${slug}/academy/new`, staff);
    assert.equal(page.status, 403);
    assert.match(page.body, /suspended from this community until .*Reason: Leaked the roadmap/);
    const submitted = await (await browse(env(), staff)).submit(`/c/${slug}/academy/new`, { title: "TV basics" });
    assert.equal(submitted.status, 403);
    assert.match(submitted.body, /Reason: Leaked the roadmap/);
  });
});
