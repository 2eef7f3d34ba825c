import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addMember,
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { browse, postForm } from "../web/web-helpers.ts";
import { attachImage, colouredJpeg } from "./support.ts";
import { removeOrphanAttachments } from "../../src/storage/attachment-orphans.ts";

/**
 * A draft kept in the browser (with no end) may hold an image the sweep removed a day after its
 * upload: the post is refused on `body` (the form keeps the text) instead of showing a dead address.
 */

const DAY = 24 * 3_600_000;

/** Uploads a small picture of one colour through the editor's endpoint; answers its Markdown. */
const upload = async (env: TestEnv, slug: string, user: TestUser, red: number) =>
  (await attachImage(env, slug, user, await colouredJpeg({ r: red, g: 80, b: 9 }))).markdown;

/** An image uploaded for a draft, swept two days later because no post used it yet. */
async function sweptImage(env: TestEnv, slug: string, user: TestUser, red: number): Promise<string> {
  const markdown = await upload(env, slug, user, red);
  env.clock.advance(2 * DAY);
  await removeOrphanAttachments(env.deps);
  const key = /\((\/uploads\/[^)]+)\)/.exec(markdown)![1].replace("/uploads/", "");
  const row = await env.deps.db.selectFrom("attachments").select("id").where("key", "=", key).executeTakeFirst();
  assert.equal(row, undefined, "the sweep removed the draft's image");
  return markdown;
}

const assertImageGone = (res: { status: number; body: any }) => {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.error.code, "validation_failed");
  assert.match(res.body.error.fields?.body, /attach it again/, JSON.stringify(res.body));
};

describeEachDatabase("a post showing an attached image that is no longer stored", (env) => {
  test("topics, replies, comments and edits are refused (422 on body); nothing is saved", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, helper] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const reply = await buildReply(env(), topic.id, helper);
    const gone = await sweptImage(env(), slug, helper, 10);
    const text = `Here is the photo:\n\n${gone}`;
    const api = env().api;

    assertImageGone(await api.post(`/api/v1/topics/${topic.id}/replies`, { body: text }, helper.auth));
    assertImageGone(
      await api.post(
        `/api/v1/communities/${slug}/topics`,
        { kind: "question", title: "A photo of the router", body: text },
        helper.auth,
      ),
    );
    assertImageGone(await api.post(`/api/v1/replies/${reply.id}/comments`, { body: text }, author.auth));
    assertImageGone(await api.post(`/api/v1/topics/${topic.id}/comments`, { body: text }, helper.auth));
    assertImageGone(await api.patch(`/api/v1/replies/${reply.id}`, { body: text }, helper.auth));
    assertImageGone(await api.patch(`/api/v1/topics/${topic.id}`, { body: text }, author.auth));

    const replies = await env().deps.db.selectFrom("replies").select("body").where("topicId", "=", topic.id).execute();
    assert.deepEqual(
      replies.map((r) => r.body),
      [reply.body],
    );
    const comments = await env().deps.db.selectFrom("comments").select("id").execute();
    assert.equal(comments.length, 0);
  });

  test("the reply form comes back (422) with the text kept and the message, in the reader's language", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, helper] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const gone = await sweptImage(env(), slug, helper, 20);
    const visitor = await browse(env(), helper);
    const res = await visitor.submit(`/c/${slug}/t/${topic.id}/reply`, { body: `Typed two days ago.\n\n${gone}` });
    assert.equal(res.status, 422, res.body.slice(0, 300));
    assert.match(res.body, /<textarea[^>]*>Typed two days ago\./);
    assert.match(res.body, /An image in your text is no longer stored[^<]*Attach it again\./);

    const fields = { _csrf: visitor.csrf, body: `Vor zwei Tagen getippt.\n\n${gone}` };
    const german = await postForm(env(), `/c/${slug}/t/${topic.id}/reply`, fields, visitor.cookie, {
      "accept-language": "de",
    });
    assert.equal(german.status, 422);
    assert.match(german.body, /<textarea[^>]*>Vor zwei Tagen getippt\./);
    assert.match(german.body, /Ein Bild in deinem Text ist nicht mehr gespeichert/);
  });

  test("an image still stored, here or in another community, is accepted; so is an external image", async () => {
    const first = await buildCommunity(env(), { members: { member: 1 } });
    const second = await buildCommunity(env(), { members: { member: 1 } });
    const member = first.members.member[0];
    await addMember(env(), second.community.id, member.id, "member");
    const fromSecond = await upload(env(), second.slug, member, 30);
    const fresh = await upload(env(), first.slug, member, 40);
    const topic = await buildTopic(env(), first.slug, member);
    const res = await env().api.post(
      `/api/v1/topics/${topic.id}/replies`,
      { body: `${fromSecond}\n\n${fresh}\n\n${fresh}` },
      member.auth,
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });
});
