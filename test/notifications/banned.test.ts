import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "./support.ts";

describeEachDatabase("notifications to a banned member", (env) => {
  test("a member banned from a public community hears nothing from it until the ban is lifted", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, follower] = members.member;
    const mod = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker, { title: "Fibre box shows a red light" });
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, follower.auth)).status, 200);
    const banned = await env().api.put(
      `/api/v1/communities/${slug}/members/${follower.id}/ban`,
      { reason: "Harassment" },
      mod.auth,
    );
    assert.equal(banned.status, 200);
    const aboutTopic = async () =>
      (await env().api.get("/api/v1/notifications", follower.auth)).body.notifications.filter(
        (n: any) => n.kind === "followed_answered",
      ).length;
    await buildReply(env(), topic.id, helper, "Unplug it for thirty seconds.");
    await drainJobs(env());
    assert.equal(await aboutTopic(), 0, "no notification while banned");
    const lifted = await env().api.delete(`/api/v1/communities/${slug}/members/${follower.id}/ban`, mod.auth);
    assert.equal(lifted.status, 200);
    await buildReply(env(), topic.id, helper, "Then call the hotline.");
    await drainJobs(env());
    assert.equal(await aboutTopic(), 1, "the follow stayed, so the next reply reaches them");
  });
});
