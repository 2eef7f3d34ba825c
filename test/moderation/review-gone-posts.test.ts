import { test } from "node:test";
import assert from "node:assert/strict";
import {
  actOnQueuedPost,
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

const flag = (env: TestEnv, type: string, id: number, user: TestUser) =>
  env.api.post(`/api/v1/posts/${type}/${id}/flags`, { reason: "spam" }, user.auth);

type Item = { id: number; post: { type: string; id: number; state: string; excerpt: string; body: string } };
const openItems = async (env: TestEnv, slug: string, who: TestUser): Promise<Item[]> =>
  (await env.api.get(`/api/v1/communities/${slug}/review-queue`, who.auth)).body.items;

describeEachDatabase("review items of posts that moved or went", (env) => {
  test("a merged topic's open item and flags follow its question to the reply it became", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 4, moderator: 1 } });
    const [asker, other, flagger, second] = members.member;
    const mod = members.moderator[0];
    const source = await buildTopic(env(), slug, asker, { title: "Router blinks red all day long" });
    const into = await buildTopic(env(), slug, other, { title: "My router keeps blinking red" });
    assert.equal((await flag(env(), "topic", source.id, flagger)).status, 201);
    const merged = await env().api.post(`/api/v1/topics/${source.id}/merge`, { intoTopicId: into.id }, mod.auth);
    assert.equal(merged.status, 200);
    const items = await openItems(env(), slug, mod);
    assert.equal(items.length, 1);
    const [item] = items;
    assert.equal(item.post.type, "reply", "the item is about the reply the question became");
    assert.equal(item.post.state, "visible");
    const flags = await env()
      .deps.db.selectFrom("postFlags")
      .select(["targetType", "targetId", "status"])
      .where("userId", "=", flagger.id)
      .execute();
    assert.deepEqual(flags, [{ targetType: "reply", targetId: item.post.id, status: "open" }]);
    // The question's text is flagged where it now lives, once per member as anywhere.
    assert.equal((await flag(env(), "reply", item.post.id, flagger)).status, 409);
    assert.equal((await flag(env(), "reply", item.post.id, second)).status, 201);
    const decided = await env().api.post(
      `/api/v1/communities/${slug}/review-queue/${item.id}`,
      { action: "hide", reason: "Spam" },
      mod.auth,
    );
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    assert.equal(decided.body.postState, "hidden");
    assert.deepEqual(await openItems(env(), slug, mod), []);
  });

  test("deleting a topic closes the open items of its replies and comments, which nobody can open any more", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, author, flagger] = members.member;
    const mod = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, author, "Buy cheap followers at my shop");
    const comment = await env().api.post(
      `/api/v1/replies/${reply.id}/comments`,
      { body: "Me too, cheap!" },
      author.auth,
    );
    assert.equal(comment.status, 201, JSON.stringify(comment.body));
    const other = await buildTopic(env(), slug, author, { title: "A topic that stays where it is" });
    const kept = await buildReply(env(), other.id, author, "A reply flagged elsewhere");
    for (const [type, id] of [
      ["reply", reply.id],
      ["comment", comment.body.comment.id],
      ["topic", topic.id],
      ["reply", kept.id],
    ] as const)
      assert.equal((await flag(env(), type, id, flagger)).status, 201, `${type} ${id}`);
    await actOnQueuedPost(env(), slug, mod, topic.id, "delete", { type: "topic" });
    const left = await openItems(env(), slug, mod);
    assert.deepEqual(
      left.map((i) => [i.post.type, i.post.id]),
      [["reply", kept.id]],
      "only the item of a post that still exists waits",
    );
    const closed = await env().api.get(`/api/v1/communities/${slug}/review-queue?status=deleted`, mod.auth);
    assert.equal(closed.body.items.length, 3);
    const flags = await env()
      .deps.db.selectFrom("postFlags")
      .select(["targetId", "status"])
      .where("userId", "=", flagger.id)
      .where("status", "=", "open")
      .execute();
    assert.deepEqual(flags, [{ targetId: kept.id, status: "open" }]);
  });

  test("the queue's edit form holds the whole post, not the excerpt, so approving an edit keeps the text", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, author, flagger] = members.member;
    const mod = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker);
    const long = Array.from({ length: 80 }, (_, i) => `step${i}`).join(" ");
    const reply = await buildReply(env(), topic.id, author, long);
    await flag(env(), "reply", reply.id, flagger);
    const [item] = await openItems(env(), slug, mod);
    assert.ok(item.post.excerpt.length < long.length, "the list shows an excerpt");
    assert.equal(item.post.body, long);
    const browser = await browse(env(), mod);
    const page = await browser.get(`/c/${slug}/review-queue`);
    assert.equal(page.status, 200);
    const textarea = new RegExp(`<textarea id="item-${item.id}-body"[^>]*>([^<]*)</textarea>`).exec(page.body);
    assert.equal(textarea?.[1], long, "the edit form starts from the whole text");
    const sent = await browser.submit(`/c/${slug}/review-queue/${item.id}`, { action: "edit", body: textarea[1] });
    assert.equal(sent.status, 303);
    const saved = await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth);
    assert.equal(saved.body.replies[0].body, long);
  });
});
