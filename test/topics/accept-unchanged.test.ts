import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";

// Accepting the reply already accepted, or withdrawing a solution when there is none, changes
// nothing: the topic does not move up the "activity" list (an asker could otherwise bump their
// topic at will). Withdrawing still forgets a solution moderation hid, so restoring it later does
// not make it the solution again.
describeEachDatabase("an accept that changes nothing", (env) => {
  test("keeps the topic's last activity and place in the list; a hidden solution is still forgotten", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, other] = members.member;
    const [moderator] = members.moderator;
    const topic = await buildTopic(env(), slug, asker, { title: "Router keeps blinking red" });
    const reply = await buildReply(env(), topic.id, helper);
    const unsolved = await buildTopic(env(), slug, asker, { title: "Router shows no light at all" });
    const accept = () => env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
    const withdraw = (id: number) => env().api.delete(`/api/v1/topics/${id}/accept`, asker.auth);
    const lastActivity = async (id: number) =>
      (await env().deps.db.selectFrom("topics").select("lastActivityAt").where("id", "=", id).executeTakeFirstOrThrow())
        .lastActivityAt;
    const listed = async () =>
      (await env().api.get(`/api/v1/communities/${slug}/topics?sort=activity`)).body.topics.map(
        (t: { id: number }) => t.id,
      );

    env().clock.advance(60_000);
    assert.equal((await accept()).status, 200);
    const accepted = await lastActivity(topic.id);
    env().clock.advance(60_000);
    // Another topic moves up past it.
    await buildReply(env(), unsolved.id, other);
    const order = await listed();
    assert.deepEqual(order.slice(0, 2), [unsolved.id, topic.id]);

    env().clock.advance(60_000);
    const again = await accept();
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { acceptedReplyId: reply.id, status: "solved" });
    assert.equal(await lastActivity(topic.id), accepted, "the same reply again");

    const before = await lastActivity(unsolved.id);
    env().clock.advance(60_000);
    const none = await withdraw(unsolved.id);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body, { acceptedReplyId: null, status: "answered" });
    assert.equal(await lastActivity(unsolved.id), before, "no solution withdrawn");
    assert.deepEqual(await listed(), order);

    // Hidden, the solution is remembered; withdrawing then is a change: restored, it is not the solution.
    const hide = await env().api.post(`/api/v1/posts/reply/${reply.id}/hide`, { reason: "Spam" }, moderator.auth);
    assert.equal(hide.status, 200, JSON.stringify(hide.body));
    assert.equal((await withdraw(topic.id)).status, 200);
    const restore = await env().api.post(`/api/v1/posts/reply/${reply.id}/restore`, {}, moderator.auth);
    assert.equal(restore.status, 200, JSON.stringify(restore.body));
    const page = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.equal(page.body.topic.acceptedReplyId, null);
  });
});
