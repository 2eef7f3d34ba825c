import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, type TestUser } from "../helpers.ts";
import { memberWithKudos } from "../reputation/support.ts";

const OWN_POST = "This is your own post: someone else decides on it.";

// A moderator may not restore their own post (852294a), except one they took down themselves:
// restoring it undoes their own act and judges nothing someone else raised.
describeEachDatabase("moderation: a moderator restoring their own hidden post", (env) => {
  async function setup() {
    const { community, slug, admin, members } = await buildCommunity(env(), {
      members: { member: 1, moderator: 2 },
    });
    const [mod, otherMod] = members.moderator;
    const topic = await buildTopic(env(), slug, members.member[0]);
    const reply = await buildReply(env(), topic.id, mod, "Posted in the wrong topic, sorry");
    const act = (action: "hide" | "restore", user: TestUser) =>
      env().api.post(`/api/v1/posts/reply/${reply.id}/${action}`, { reason: "" }, user.auth);
    const stateOf = async () =>
      (
        await env()
          .deps.db.selectFrom("replies")
          .select("moderationState")
          .where("id", "=", reply.id)
          .executeTakeFirstOrThrow()
      ).moderationState;
    const flag = async (kudos: number) => {
      const flagger = await memberWithKudos(env(), community.id, kudos);
      const res = await env().api.post(`/api/v1/posts/reply/${reply.id}/flags`, { reason: "spam" }, flagger.auth);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };
    return { community, slug, admin, mod, otherMod, reply, act, stateOf, flag };
  }

  test("the moderator who hid their own post may restore it; the audit log marks it", async () => {
    const { slug, admin, mod, reply, act, stateOf } = await setup();
    assert.equal((await act("hide", mod)).status, 200);
    assert.equal(await stateOf(), "hidden");
    const restored = await act("restore", mod);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.equal(await stateOf(), "visible");
    const entries = (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries;
    const entry = entries.find((e: { action: string; target: { id: number } }) => e.target.id === reply.id);
    assert.deepEqual([entry.action, entry.details.ownPost], ["post.restore", true]);
    // And again: each time it is their own hide that they undo.
    assert.equal((await act("hide", mod)).status, 200);
    assert.equal((await act("restore", mod)).status, 200);
    assert.equal(await stateOf(), "visible");
  });

  test("hidden by another moderator: its author may not restore it, the other moderator may", async () => {
    const { mod, otherMod, act, stateOf } = await setup();
    assert.equal((await act("hide", otherMod)).status, 200);
    const refused = await act("restore", mod);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.message, OWN_POST);
    assert.equal(await stateOf(), "hidden");
    // Hiding it again themselves does not make it theirs to restore: they did not take it down.
    assert.equal((await act("hide", mod)).status, 200);
    assert.equal((await act("restore", mod)).status, 403);
    assert.equal((await act("restore", otherMod)).status, 200);
    assert.equal(await stateOf(), "visible");
  });

  test("hidden by their own hand and then by another's: the last hide decides", async () => {
    const { mod, otherMod, act, stateOf } = await setup();
    assert.equal((await act("hide", mod)).status, 200);
    assert.equal((await act("restore", otherMod)).status, 200, "another moderator restored it");
    assert.equal((await act("hide", otherMod)).status, 200, "and hid it again");
    assert.equal((await act("restore", mod)).status, 403);
    assert.equal(await stateOf(), "hidden");
  });

  test("hidden by the community's flags: its author may not restore it", async () => {
    const { mod, act, stateOf, flag } = await setup();
    for (let i = 0; i < 3; i++) await flag(100);
    assert.equal(await stateOf(), "hidden");
    assert.equal((await act("restore", mod)).status, 403);
    assert.equal(await stateOf(), "hidden");
  });

  test("hidden by its author while flags waited on it: restoring it is for someone else", async () => {
    const { community, mod, otherMod, reply, act, stateOf, flag } = await setup();
    await flag(100);
    assert.equal(await stateOf(), "visible", "one flag: waiting in the review queue");
    assert.equal((await act("hide", mod)).status, 200, "taking it down closes the review item");
    const item = await env()
      .deps.db.selectFrom("reviewQueue")
      .select(["status", "resolvedBy"])
      .where("communityId", "=", community.id)
      .where("targetId", "=", reply.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(item, { status: "hidden", resolvedBy: mod.id });
    assert.equal((await act("restore", mod)).status, 403, "it would dismiss the community's flag");
    assert.equal(await stateOf(), "hidden");
    assert.equal((await act("restore", otherMod)).status, 200);
  });

  test("a later own hide that closed no review item is theirs to restore, in the same millisecond too", async () => {
    const { mod, otherMod, act, stateOf, flag } = await setup();
    // The clock does not move between these actions: only what each hide did may tell them apart.
    await flag(100);
    assert.equal((await act("hide", mod)).status, 200, "this hide closes the review item");
    assert.equal((await act("restore", mod)).status, 403);
    assert.equal((await act("restore", otherMod)).status, 200, "another moderator decided on the flag");
    assert.equal((await act("hide", mod)).status, 200, "a hide of their own, with nothing waiting");
    const restored = await act("restore", mod);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.equal(await stateOf(), "visible");
  });
});
