import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import {
  actorOf,
  backendPid,
  blocksAnotherSession,
  buildCommunity,
  buildTopic,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
  until,
} from "../helpers.ts";
import { attachImage, colouredJpeg } from "./support.ts";
import { createReply } from "../../src/topics/index.ts";
import { removeOrphanAttachments } from "../../src/storage/attachment-orphans.ts";

/**
 * A post showing an attached image and the sweep of unused images at the same moment. The post's
 * check that its images are stored comes before its transaction, and the sweep's check that no text
 * shows an image before the deletion's: each is asked again under the image key's lock, so the post
 * never shows a dead image.
 */

const DAY = 24 * 3_600_000;

/** An image uploaded for a draft two days ago, not used yet: the next sweep would remove it, and nothing else. */
async function unusedImage(env: TestEnv, red: number) {
  env.clock.advance(2 * DAY);
  while ((await removeOrphanAttachments(env.deps)).more) {}
  const { slug, members } = await buildCommunity(env, { members: { member: 2 } });
  const [author, helper] = members.member;
  const topic = await buildTopic(env, slug, author);
  const image = await attachImage(env, slug, helper, await colouredJpeg({ r: red, g: 33, b: 140 }));
  env.clock.advance(2 * DAY);
  return { topic, helper, image, text: `The cable, as it is plugged in:\n\n${image.markdown}` };
}

const stored = async (env: TestEnv, image: { url: string }) =>
  (await env.deps.db
    .selectFrom("attachments")
    .select("id")
    .where("key", "=", image.url.replace("/uploads/", ""))
    .executeTakeFirst()) !== undefined;

describeEachDatabase("a post and the sweep of unused images at the same moment", (env) => {
  test("the sweep removes the image after the post's check, before its transaction: the post is refused", async () => {
    const { topic, helper, image, text } = await unusedImage(env(), 60);
    let swept = 0;
    const deps = openingTransactionAfter(env().deps, async () => {
      if (swept++ === 0) assert.equal((await removeOrphanAttachments(env().deps)).removed, 1);
    });

    await assert.rejects(createReply(deps, topic.id, actorOf(helper), text), (error: any) => {
      assert.equal(error.code, "validation_failed");
      assert.match(error.fields?.body ?? "", /attach it again/);
      return true;
    });

    assert.equal(swept, 1, "the sweep ran between the check and the transaction");
    assert.equal(await stored(env(), image), false);
    const replies = await env().deps.db.selectFrom("replies").select("id").where("topicId", "=", topic.id).execute();
    assert.equal(replies.length, 0, "no reply shows the removed image");
  });

  test("a post showing the image saved after the sweep's check, before its deletion: the image stays", async () => {
    const { topic, helper, image, text } = await unusedImage(env(), 70);
    let posted = 0;
    const deps = openingTransactionAfter(env().deps, async () => {
      if (posted++ > 0) return;
      const res = await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: text }, helper.auth);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    });

    const sweep = await removeOrphanAttachments(deps);

    assert.equal(posted, 1, "the reply was saved between the sweep's check and its deletion");
    assert.equal(sweep.removed, 0);
    assert.ok(await stored(env(), image));
    for (const url of [image.url, image.thumbnailUrl])
      assert.equal((await env().app.inject({ method: "GET", url })).statusCode, 200, url);
    // Looked at once: a later sweep does not take it either.
    env().clock.advance(2 * DAY);
    assert.equal((await removeOrphanAttachments(env().deps)).removed, 0);
    assert.ok(await stored(env(), image));
  });

  test("a post waits for a sweep holding the image's key, then sees the deletion and is refused", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { topic, helper, image, text } = await unusedImage(env(), 80);
    const key = image.url.replace("/uploads/", "");
    let posting: Promise<unknown> | undefined;
    // A sweep's deletion, by hand: the key's lock, then the row, in one transaction.
    await env()
      .deps.db.transaction()
      .execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${`attachments:${key}`}))`.execute(trx);
        const pid = await backendPid(trx);
        let settled = false;
        posting = createReply(env().deps, topic.id, actorOf(helper), text).finally(() => {
          settled = true;
        });
        posting.catch(() => undefined);
        await until("the reply to wait for the key or finish", async () => settled || blocksAnotherSession(env(), pid));
        await trx.deleteFrom("attachments").where("key", "=", key).execute();
      });

    await assert.rejects(posting!, (error: any) => error.code === "validation_failed");
    const replies = await env().deps.db.selectFrom("replies").select("id").where("topicId", "=", topic.id).execute();
    assert.equal(replies.length, 0);
  });
});
