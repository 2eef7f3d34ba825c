import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addMember,
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";
import { memberWithKudos } from "../reputation/support.ts";

const OWN_POST = "This is your own post: someone else decides on it.";

/** Three trusted members flag the reply as spam: it is hidden and waits in the review queue. */
async function hideByFlags(env: TestEnv, communityId: number, replyId: number): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const flagger = await memberWithKudos(env, communityId, 100);
    await env.api.post(`/api/v1/posts/reply/${replyId}/flags`, { reason: "spam" }, flagger.auth);
  }
}

describeEachDatabase("nobody judges their own post", (env) => {
  async function setup() {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    const queue = (user: TestUser) => env().api.get(`/api/v1/communities/${slug}/review-queue`, user.auth);
    const itemOf = async (user: TestUser, replyId: number) =>
      (await queue(user)).body.items.find((i: { post: { id: number } }) => i.post.id === replyId);
    const act = (user: TestUser, itemId: number, action: string) =>
      env().api.post(`/api/v1/communities/${slug}/review-queue/${itemId}`, { action, body: "Fixed" }, user.auth);
    const stateOf = async (replyId: number) =>
      (await env().api.get(`/api/v1/topics/${topic.id}`, admin.auth)).body.replies.find(
        (r: { id: number }) => r.id === replyId,
      )?.moderationState;
    return { community, slug, admin, topic, itemOf, act, stateOf };
  }

  test("a reviewer may not approve, hide or edit their own hidden reply; another reviewer may", async () => {
    const { community, slug, topic, itemOf, act, stateOf } = await setup();
    const reviewer = await memberWithKudos(env(), community.id, 2000);
    const other = await memberWithKudos(env(), community.id, 2000);
    const reply = await buildReply(env(), topic.id, reviewer, "Buy cheap followers at my shop");
    await hideByFlags(env(), community.id, reply.id);
    assert.equal(await stateOf(reply.id), "hidden");

    const own = await itemOf(reviewer, reply.id);
    assert.deepEqual(own.allowed, [], "listed, but not actionable for its author");
    for (const action of ["approve", "hide", "edit"]) {
      const res = await act(reviewer, own.id, action);
      assert.equal(res.status, 403, action);
      assert.equal(res.body.error.message, OWN_POST);
    }
    assert.equal(await stateOf(reply.id), "hidden", "still hidden");

    const asReviewer = await browse(env(), reviewer);
    const page = await asReviewer.get(`/c/${slug}/review-queue`);
    assert.match(page.body, new RegExp(OWN_POST));
    assert.doesNotMatch(page.body, new RegExp(`action="/c/${slug}/review-queue/${own.id}"`), "no buttons");
    const submitted = await asReviewer.submit(`/c/${slug}/review-queue/${own.id}`, { action: "approve" });
    assert.equal(submitted.status, 403);
    assert.match(submitted.body, new RegExp(`class="form-alert" role="alert">\\s*<p><strong>${OWN_POST}`));
    assert.match(submitted.body, /<h1>Review queue<\/h1>/, "the queue again, not an error page");
    assert.equal(await stateOf(reply.id), "hidden");

    const theirs = await itemOf(other, reply.id);
    assert.ok(theirs.allowed.includes("approve"));
    assert.equal((await act(other, theirs.id, "approve")).status, 200);
    assert.equal(await stateOf(reply.id), "visible");
  });

  test("a moderator's own flagged post is judged by another moderator or an admin; hiding it is theirs", async () => {
    const { community, slug, admin, topic, itemOf, act, stateOf } = await setup();
    const [mod, otherMod] = [await buildUser(env()), await buildUser(env())];
    for (const user of [mod, otherMod]) await addMember(env(), community.id, user.id, "moderator");
    const post = (action: string, replyId: number, user: TestUser) =>
      env().api.post(`/api/v1/posts/reply/${replyId}/${action}`, { reason: "" }, user.auth);

    const reply = await buildReply(env(), topic.id, mod, "Buy cheap followers at my shop");
    await hideByFlags(env(), community.id, reply.id);
    const item = await itemOf(mod, reply.id);
    assert.deepEqual(item.allowed, []);
    assert.equal((await act(mod, item.id, "approve")).status, 403);
    assert.equal((await act(mod, item.id, "delete")).status, 403);
    assert.equal((await post("restore", reply.id, mod)).status, 403, "not restored by its author");
    assert.equal(await stateOf(reply.id), "hidden");
    assert.equal((await post("restore", reply.id, otherMod)).status, 200);
    assert.equal(await stateOf(reply.id), "visible");

    const second = await buildReply(env(), topic.id, mod, "Posted in the wrong topic, sorry");
    assert.equal((await post("hide", second.id, mod)).status, 200, "a moderator may take their own post down");
    assert.equal((await post("restore", second.id, mod)).status, 200, "and put it back: undoing their own hide");

    // A community may have a single admin: admins decide on their own posts, and the audit log says so.
    const adminReply = await buildReply(env(), topic.id, admin, "Buy cheap followers at my shop");
    await hideByFlags(env(), community.id, adminReply.id);
    const adminItem = await itemOf(admin, adminReply.id);
    assert.ok(adminItem.allowed.includes("approve"));
    assert.equal((await act(admin, adminItem.id, "approve")).status, 200);
    const entries = (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries;
    const approved = entries.find((e: { action: string; target: { id: number } }) => e.target.id === adminReply.id);
    assert.deepEqual([approved.action, approved.details.ownPost], ["post.approve", true]);
  });
});
