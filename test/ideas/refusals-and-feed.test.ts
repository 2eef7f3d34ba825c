import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";

describeEachDatabase("ideas: suspended staff, the feed's XML", (env) => {
  test("a suspended staff member is told until when and why, and changes nothing", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const [author] = members.member;
    const staff = members.staff[0];
    const topic = await buildTopic(env(), slug, author, { kind: "idea", title: "Share data between plans" });
    const suspension = { days: 7, reason: "Promised dates nobody approved" };
    const member = `/api/v1/communities/${slug}/members/${staff.id}/suspension`;
    assert.equal((await env().api.put(member, suspension, admin.auth)).status, 200);

    const refused = await env().api.put(`/api/v1/topics/${topic.id}/idea-status`, { status: "done" }, staff.auth);
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /suspended from this community until .* Reason: Promised dates/);
    const figures = await env().api.get(`/api/v1/communities/${slug}/stats/ideas`, staff.auth);
    assert.equal(figures.status, 403);
    assert.match(figures.body.error.message, /suspended from this community until/);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}/idea-status`)).body.ideaStatus, "new");
    // Anyone else who is not staff still gets the plain refusal.
    const byMember = await env().api.put(`/api/v1/topics/${topic.id}/idea-status`, { status: "done" }, author.auth);
    assert.equal(byMember.body.error.message, "Only staff can set the status of an idea.");
  });

  test("a note with control characters leaves the Atom feed well-formed XML", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0], { kind: "idea", title: "Dark mode for the app" });
    const note = "Pasted from the tracker:\u0001 ships\u000b in\u001b[0m v2 \ud83d\ude80\uffff";
    const set = await env().api.put(
      `/api/v1/topics/${topic.id}/idea-status`,
      { status: "planned", note },
      members.staff[0].auth,
    );
    assert.equal(set.status, 200);
    const feed = await getPage(env(), `/c/${slug}/ideas/feed.atom`);
    assert.equal(feed.status, 200);
    // XML 1.0 allows none of these, escaped or not: one of them and feed readers refuse the whole feed.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
    assert.doesNotMatch(feed.body, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    assert.match(feed.body, /<content type="text">Planned: Pasted from the tracker: ships in\[0m v2 🚀<\/content>/);
  });
});
