import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "./support.ts";

// A reply's notifications are made by jobs after it is posted. A moderator may merge its topic
// before they run: the reply lives on in the target, and so must its notification.
describeEachDatabase("notifications: a topic merged before its notifications were made", (env) => {
  test("the asker is told of a reply whose topic was merged before the jobs ran, on the target", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, other] = members.member;
    const source = await buildTopic(env(), slug, asker, { title: "Router blinks red after the update" });
    const target = await buildTopic(env(), slug, other, { title: "Router light red since the firmware update" });
    await drainJobs(env());
    await buildReply(env(), source.id, helper, "Hold the reset button for ten seconds.");
    const merged = await env().api.post(
      `/api/v1/topics/${source.id}/merge`,
      { intoTopicId: target.id },
      members.moderator[0].auth,
    );
    assert.equal(merged.status, 200);
    await drainJobs(env());
    const list = (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications;
    const replies = list.filter((n: { kind: string }) => n.kind === "reply");
    assert.equal(replies.length, 1, JSON.stringify(list));
    const stored = await env()
      .deps.db.selectFrom("notifications")
      .select("topicId")
      .where("userId", "=", asker.id)
      .where("kind", "=", "reply")
      .executeTakeFirstOrThrow();
    assert.equal(stored.topicId, target.id, "kept on the topic the reply now lives in");
  });
});
