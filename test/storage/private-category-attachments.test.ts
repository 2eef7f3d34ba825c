import { test } from "node:test";
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { attachImage, colouredJpeg, type StoredAttachment } from "../editor/support.ts";
import { patchSettings, setKudos } from "../reputation/support.ts";
import * as migration046 from "../../src/db/migrations/046_attachment_topics.ts";

/**
 * Attached images shown only in questions of a private category (billing, account) of a public community:
 * served to the questions' askers and staff, as the questions are, not to anyone holding the address.
 */

/** A picture no other test uploads (its colour is random), so only this test's rows hold its key. */
const uniquePicture = () => colouredJpeg({ r: randomInt(256), g: randomInt(256), b: randomInt(256) });

type Who = [string, Record<string, string>];

/** Each address of the image (full size and thumbnail) gets `status` and, when 200, `cache` for each of `who`. */
async function assertServed(env: TestEnv, image: StoredAttachment, who: Who[], status: number, cache?: string) {
  for (const url of [image.url, image.thumbnailUrl])
    for (const [name, headers] of who) {
      const res = await env.app.inject({ method: "GET", url, headers });
      assert.equal(res.statusCode, status, `${name}: ${url}`);
      if (status === 200) assert.equal(res.headers["cache-control"], cache, `${name}: ${url}`);
    }
}

const PUBLIC = "public, max-age=31536000, immutable";
const PRIVATE = "private, max-age=3600";

/** A public community with a private Billing category; a member who asks there, another member, an outsider. */
async function billingCommunity(env: TestEnv) {
  const { slug, admin, members } = await buildCommunity(env, { members: { member: 2 } });
  const [asker, other] = members.member;
  const res = await env.api.post(
    `/api/v1/communities/${slug}/categories`,
    { name: "Billing", scope: "private" },
    admin.auth,
  );
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const outsider = await buildUser(env);
  const others: Who[] = [
    ["anonymous", {}],
    ["another member", { cookie: other.cookie }],
    ["an outsider's token", { authorization: `Bearer ${outsider.auth.token}` }],
  ];
  const readers: Who[] = [
    ["the asker", { cookie: asker.cookie }],
    ["the community's admin", { authorization: `Bearer ${admin.auth.token}` }],
  ];
  return { slug, admin, asker, other, billingId: res.body.category.id as number, others, readers };
}

describeEachDatabase("attached images in private categories", (env) => {
  test("shown only in a billing question: its asker and staff get it privately, everyone else a 404", async () => {
    const { slug, admin, asker, billingId, others, readers } = await billingCommunity(env());
    const bill = await attachImage(env(), slug, asker, await uniquePicture());
    const topic = await buildTopic(env(), slug, asker, {
      title: "My invoice charges roaming twice",
      body: `Here is the bill:\n\n${bill.markdown}`,
      categoryId: billingId,
    });
    const screenshot = await attachImage(env(), slug, admin, await uniquePicture());
    await buildReply(env(), topic.id, admin, `The second line is a refund:\n\n${screenshot.markdown}`);

    for (const image of [bill, screenshot]) {
      await assertServed(env(), image, others, 404);
      await assertServed(env(), image, readers, 200, PRIVATE);
    }
  });

  test("the question moved to an open category opens its images; moved back, they close again", async () => {
    const { slug, admin, asker, billingId, others, readers } = await billingCommunity(env());
    const bill = await attachImage(env(), slug, asker, await uniquePicture());
    const topic = await buildTopic(env(), slug, asker, {
      title: "Why is my bill higher this month?",
      body: bill.markdown,
      categoryId: billingId,
    });
    await assertServed(env(), bill, others, 404);

    const move = (categoryId: number | null) =>
      env().api.post(`/api/v1/topics/${topic.id}/move`, { categoryId }, admin.auth);
    assert.equal((await move(null)).status, 200);
    await assertServed(env(), bill, [...others, ...readers], 200, PUBLIC);

    assert.equal((await move(billingId)).status, 200);
    await assertServed(env(), bill, others, 404);
    await assertServed(env(), bill, readers, 200, PRIVATE);
  });

  test("also shown in an open topic, the image is for everyone", async () => {
    const { slug, asker, other, billingId, others } = await billingCommunity(env());
    const router = await attachImage(env(), slug, asker, await uniquePicture());
    await buildTopic(env(), slug, asker, {
      title: "Is this router billed?",
      body: router.markdown,
      categoryId: billingId,
    });
    await assertServed(env(), router, others, 404);

    await buildTopic(env(), slug, other, { title: "Which router is this?", body: router.markdown });
    await assertServed(env(), router, others, 200, PUBLIC);
  });

  test("a draft's image: its uploader's copy is private (no shared cache), anyone else's public", async () => {
    const { slug, asker, others } = await billingCommunity(env());
    const draft = await attachImage(env(), slug, asker, await uniquePicture());
    await assertServed(env(), draft, [["the uploader", { cookie: asker.cookie }]], 200, PRIVATE);
    await assertServed(env(), draft, others, 200, PUBLIC);

    await buildTopic(env(), slug, asker, { title: "My modem's lights", body: draft.markdown });
    await assertServed(env(), draft, [["the uploader", { cookie: asker.cookie }]], 200, PUBLIC);
  });

  test("an image a moderator edits into a held billing question, from the review queue, is closed too", async () => {
    const { slug, admin, asker, billingId, others, readers } = await billingCommunity(env());
    await patchSettings(env(), slug, admin, "moderation", { approveFirstPosts: 1 });
    const topic = await buildTopic(env(), slug, asker, { title: "A first question on my bill", categoryId: billingId });
    assert.equal(topic.moderationState, "pending");
    const explained = await attachImage(env(), slug, admin, await uniquePicture());
    const queue = await env().api.get(`/api/v1/communities/${slug}/review-queue`, admin.auth);
    const item = queue.body.items.find((i: { post: { id: number } }) => i.post.id === topic.id);
    const edited = await env().api.post(
      `/api/v1/communities/${slug}/review-queue/${item.id}`,
      { action: "edit", body: `Which line is wrong?\n\n${explained.markdown}` },
      admin.auth,
    );
    assert.equal(edited.status, 200, JSON.stringify(edited.body));

    await assertServed(env(), explained, others, 404);
    await assertServed(env(), explained, readers, 200, PRIVATE);
  });

  test("shown only in a champions-only category: champions and staff get it privately, anyone else a 404", async () => {
    const { slug, admin, asker: champion, others } = await billingCommunity(env());
    const elsewhere = await buildCommunity(env(), { members: { moderator: 1 } });
    const db = env().deps.db;
    const lounge = await env().api.post(`/api/v1/communities/${slug}/categories`, { name: "Lounge" }, admin.auth);
    await db.updateTable("categories").set({ championsOnly: 1 }).where("id", "=", lounge.body.category.id).execute();
    const { id: communityId } = await db
      .selectFrom("communities")
      .select("id")
      .where("slug", "=", slug)
      .executeTakeFirstOrThrow();
    await setKudos(env(), communityId, champion.id, 10);
    await db
      .updateTable("reputation")
      .set({ championSince: env().clock.now() })
      .where("userId", "=", champion.id)
      .where("communityId", "=", communityId)
      .execute();
    const beta = await attachImage(env(), slug, admin, await uniquePicture());
    await buildTopic(env(), slug, admin, {
      title: "Beta firmware notes for champions",
      body: beta.markdown,
      categoryId: lounge.body.category.id,
    });

    await assertServed(
      env(),
      beta,
      [...others, ["another community's moderator", { cookie: elsewhere.members.moderator[0].cookie }]],
      404,
    );
    await assertServed(
      env(),
      beta,
      [
        ["a champion", { cookie: champion.cookie }],
        ["the community's admin", { authorization: `Bearer ${admin.auth.token}` }],
      ],
      200,
      PRIVATE,
    );
  });

  test("shown only in a deleted topic: nobody gets it, its author and staff included", async () => {
    const { slug, asker, others, readers } = await billingCommunity(env());
    const doxx = await attachImage(env(), slug, asker, await uniquePicture());
    const topic = await buildTopic(env(), slug, asker, { title: "Look who lives on my street", body: doxx.markdown });
    await assertServed(env(), doxx, [...others, ...readers], 200, PUBLIC);

    await env().deps.db.updateTable("topics").set({ moderationState: "deleted" }).where("id", "=", topic.id).execute();
    await assertServed(env(), doxx, [...others, ...readers], 404);
  });

  test("migration 046 finds the images of the private questions already posted", async () => {
    const { slug, admin, asker, billingId, others, readers } = await billingCommunity(env());
    const inQuestion = await attachImage(env(), slug, asker, await uniquePicture());
    const inReply = await attachImage(env(), slug, admin, await uniquePicture());
    const inComment = await attachImage(env(), slug, asker, await uniquePicture());
    const topic = await buildTopic(env(), slug, asker, {
      title: "Direct debit failed",
      body: inQuestion.markdown,
      categoryId: billingId,
    });
    const reply = await buildReply(env(), topic.id, admin, `See the mandate:\n\n${inReply.markdown}`);
    const comment = await env().api.post(
      `/api/v1/replies/${reply.id}/comments`,
      { body: `This one? ${inComment.markdown}` },
      asker.auth,
    );
    assert.equal(comment.status, 201, JSON.stringify(comment.body));

    // As the posts were before the migration: nothing recorded.
    await migration046.down(env().deps.db);
    await migration046.up(env().deps.db);
    for (const image of [inQuestion, inReply, inComment]) {
      await assertServed(env(), image, others, 404);
      await assertServed(env(), image, readers, 200, PRIVATE);
    }
  });
});
