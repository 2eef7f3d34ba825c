import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { browse, getPage } from "./web-helpers.ts";

// Slugs are lower case and looked up as such, so an address typed or linked in capitals names the
// same community: its pages and forms must not answer 404 for comparing the address as given.
describeEachDatabase("a community's address in capitals", (env) => {
  test("its course page and its forms work as under the lower-case address", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const upper = slug.toUpperCase();
    const course = await env().api.post(
      `/api/v1/communities/${slug}/courses`,
      {
        title: "Setting up the TV box",
        lessons: [{ title: "Cables", body: "HDMI carries the picture." }],
        passMark: 50,
        questions: [
          { text: "Which cable?", kind: "single", options: [{ text: "HDMI", correct: true }, { text: "USB" }] },
        ],
      },
      admin.auth,
    );
    assert.equal(course.status, 201, JSON.stringify(course.body));
    const page = await getPage(env(), `/c/${upper}/academy/${course.body.course.id}`, member);
    assert.equal(page.status, 200);
    assert.match(page.body, /Setting up the TV box/);

    const topic = await buildTopic(env(), slug, member);
    const browser = await browse(env(), member);
    const replied = await browser.submit(`/c/${upper}/t/${topic.id}/reply`, { body: "Try another HDMI port first." });
    assert.equal(replied.status, 303, replied.body.slice(0, 300));
    const thread = await env().api.get(`/api/v1/topics/${topic.id}`, member.auth);
    assert.ok(thread.body.replies.some((r: { body: string }) => r.body === "Try another HDMI port first."));
  });
});
