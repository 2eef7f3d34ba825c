import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";
import { multipart } from "../accounts/support.ts";
import { attachImage, colouredJpeg } from "./support.ts";
import { enqueue, runDueJobs } from "../../src/jobs/jobs.ts";
import { maintenanceJob } from "../../src/jobs/maintenance.ts";
import { buildJobRegistry } from "../../src/app/jobs.ts";
import { removeOrphanAttachments } from "../../src/storage/attachment-orphans.ts";
import { storageFor } from "../../src/storage/storage.ts";

/** Images stored for posts that were never saved are removed a day later; used and shared ones stay. */

const DAY = 24 * 3_600_000;

const picture = (r: number, name?: string) => colouredJpeg({ r, g: 120, b: 40 }, name);

/** Uploads through the editor's endpoint as its script does (here with a token). */
const upload = async (env: TestEnv, slug: string, user: TestUser, r: number) =>
  attachImage(env, slug, user, await picture(r));

const keyOf = (url: string) => url.replace(/^\/uploads\//, "");
const thumbOf = (key: string) => key.replace(/\.webp$/, "-thumb.webp");

async function rowIds(env: TestEnv): Promise<number[]> {
  const rows = await env.deps.db.selectFrom("attachments").select("id").orderBy("id").execute();
  return rows.map((row) => row.id);
}

async function stored(env: TestEnv, key: string): Promise<boolean> {
  const storage = storageFor(env.deps.config);
  const [full, thumb] = await Promise.all([storage.get(key), storage.get(thumbOf(key))]);
  assert.equal(full === null, thumb === null, `${key}: the image and its thumbnail go together`);
  return full !== null;
}

/** The hourly maintenance run, then the jobs it asked for. */
async function runMaintenance(env: TestEnv): Promise<void> {
  const registry = buildJobRegistry();
  await enqueue(env.deps, maintenanceJob, null, { dedupeKey: `test-maintenance:${env.clock.now()}` });
  while ((await runDueJobs(env.deps, registry)) > 0) {}
}

describeEachDatabase(
  "images of posts never saved",
  (env) => {
    test("a day later, rows no text refers to are deleted; files stay while another row uses them", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [author, other] = members.member;
      const topic = await buildTopic(env(), slug, author, { body: "Look at this router." });

      // Used in a reply.
      const used = await upload(env(), slug, author, 10);
      await buildReply(env(), topic.id, author, `Like this:\n\n${used.markdown}`);
      // Only in an earlier version of a post (its edit history).
      const inHistory = await upload(env(), slug, author, 20);
      const reply = await buildReply(env(), topic.id, author, "Fixed it.");
      await env()
        .deps.db.insertInto("revisions")
        .values({
          targetType: "reply",
          targetId: reply.id,
          editorId: author.id,
          title: null,
          body: `Old text ${inHistory.markdown}`,
          tags: null,
          createdAt: env().clock.now(),
        })
        .execute();
      // Uploaded by the editor's script, the post never sent.
      const abandoned = await upload(env(), slug, author, 30);
      // The same picture, uploaded twice: one copy abandoned, the other used in a topic.
      const sharedAbandoned = await upload(env(), slug, author, 40);
      const sharedUsed = await upload(env(), slug, other, 40);
      assert.equal(sharedUsed.url, sharedAbandoned.url);
      await buildTopic(env(), slug, other, { title: "Which port is the uplink?", body: sharedUsed.markdown });
      // Picked in the new-topic form whose post was refused (its title is missing): the image was stored.
      const visitor = await browse(env(), author);
      const form = multipart("image", await picture(50), {
        _csrf: visitor.csrf,
        kind: "question",
        title: "",
        body: "x",
      });
      const refused = await env().app.inject({
        method: "POST",
        url: `/c/${slug}/new`,
        headers: { ...form.headers, cookie: visitor.cookie },
        payload: form.payload,
      });
      assert.equal(refused.statusCode, 422, refused.body.slice(0, 300));
      const fromForm = await env()
        .deps.db.selectFrom("attachments")
        .select(["id", "key"])
        .where("ownerId", "=", author.id)
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      assert.ok(fromForm.id > sharedUsed.id);
      const before = await rowIds(env());
      assert.equal(before.length, 6);

      // Within the day nothing is touched.
      env().clock.advance(DAY - 60_000);
      await runMaintenance(env());
      assert.deepEqual(await rowIds(env()), before);
      assert.ok(await stored(env(), fromForm.key));

      env().clock.advance(2 * 60_000);
      // Uploads of now are not looked at before their day is over; one is the abandoned picture again.
      const young = await upload(env(), slug, author, 60);
      const again = await upload(env(), slug, other, 30);
      assert.equal(again.url, abandoned.url);
      await runMaintenance(env());
      // The copy abandoned beside a used one is referenced by that topic (the text names the file): it stays.
      const kept = [used.id, inHistory.id, sharedAbandoned.id, sharedUsed.id];
      assert.deepEqual(await rowIds(env()), [...kept, young.id, again.id]);
      assert.ok(await stored(env(), keyOf(used.url)));
      assert.ok(await stored(env(), keyOf(inHistory.url)));
      assert.ok(await stored(env(), keyOf(sharedUsed.url)));
      assert.ok(await stored(env(), keyOf(abandoned.url)), "the file stays while another row uses it");
      assert.equal(await stored(env(), fromForm.key), false);
      assert.ok(await stored(env(), keyOf(young.url)));

      // A day later the young ones are looked at too: nothing uses them, rows and files go.
      env().clock.advance(DAY + 1);
      await runMaintenance(env());
      assert.deepEqual(await rowIds(env()), kept);
      assert.equal(await stored(env(), keyOf(young.url)), false);
      assert.equal(await stored(env(), keyOf(abandoned.url)), false);
      const left = await env()
        .deps.db.selectFrom("attachments")
        .select("id")
        .where("communityId", "=", community.id)
        .execute();
      assert.equal(left.length, 4);
    });

    test("batches: each run looks at a few rows, in order, and never at a row twice", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
      const member = members.member[0];
      // What an earlier test left is looked at first.
      env().clock.advance(DAY);
      while ((await removeOrphanAttachments(env().deps)).more) {}
      const start = await rowIds(env());
      const uploads = [];
      for (const r of [70, 80, 90, 100, 110]) uploads.push(await upload(env(), slug, member, r));
      const topic = await buildTopic(env(), slug, member, { body: uploads[4].markdown });
      env().clock.advance(DAY + 1);

      const first = await removeOrphanAttachments(env().deps, 2);
      assert.deepEqual([first.checked, first.removed, first.more], [2, 2, true]);
      const second = await removeOrphanAttachments(env().deps, 2);
      assert.deepEqual([second.checked, second.removed, second.more], [2, 2, true]);
      const third = await removeOrphanAttachments(env().deps, 2);
      assert.deepEqual([third.checked, third.removed, third.more], [1, 0, false]);
      assert.deepEqual(await rowIds(env()), [...start, uploads[4].id]);

      // Once looked at, a row stays even if its post goes: it is not looked at again.
      await env().deps.db.updateTable("topics").set({ body: "No picture." }).where("id", "=", topic.id).execute();
      env().clock.advance(DAY);
      const again = await removeOrphanAttachments(env().deps, 2);
      assert.equal(again.checked, 0);
      assert.deepEqual(await rowIds(env()), [...start, uploads[4].id]);
    });
  },
  { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-orphans-")) },
);
