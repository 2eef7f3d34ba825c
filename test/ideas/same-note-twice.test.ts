import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { browse } from "../web/web-helpers.ts";

describeEachDatabase("ideas: the same status and note sent twice", (env) => {
  test("a change with its note sent again (a form sent twice, a retry) is recorded and sent once", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 2 } });
    const [author] = members.member;
    const topic = await buildTopic(env(), slug, author, { kind: "idea", title: "Share data between plans" });
    const change = { status: "planned", note: "Coming in March." };
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        env().api.put(`/api/v1/topics/${topic.id}/idea-status`, change, members.staff[i % 2].auth),
      ),
    );
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 200, 200],
    );
    const staff = await browse(env(), members.staff[0]);
    assert.equal((await staff.submit(`/c/${slug}/t/${topic.id}/idea-status`, change)).status, 303);
    await drainJobs(env());
    const timeline = async () =>
      (await env().api.get(`/api/v1/topics/${topic.id}/idea-status`)).body.timeline.map((e: any) => [e.status, e.note]);
    assert.deepEqual(await timeline(), [["planned", "Coming in March."]]);
    const kinds = async () =>
      (await env().api.get("/api/v1/notifications", author.auth)).body.notifications.map((n: any) => n.kind);
    assert.deepEqual(await kinds(), ["idea_status"]);

    // Another note on the same status is news, and so is the first note again after it.
    await env().api.put(
      `/api/v1/topics/${topic.id}/idea-status`,
      { ...change, note: "Now April." },
      members.staff[0].auth,
    );
    await env().api.put(`/api/v1/topics/${topic.id}/idea-status`, change, members.staff[0].auth);
    assert.deepEqual(await timeline(), [
      ["planned", "Coming in March."],
      ["planned", "Now April."],
      ["planned", "Coming in March."],
    ]);
  });
});
