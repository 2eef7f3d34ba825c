import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import {
  actorOf,
  backendPid,
  blocksAnotherSession,
  buildCommunity,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
  type TestUser,
  until,
} from "../helpers.ts";
import type { Deps } from "../../src/core/deps.ts";
import { currentTransaction } from "../../src/core/transaction.ts";
import { communityAccess } from "../../src/communities/index.ts";
import { uploadAttachment } from "../../src/editor/editor.service.ts";
import { removeOrphanAttachments } from "../../src/storage/attachment-orphans.ts";
import { storageFor } from "../../src/storage/storage.ts";

/**
 * The sweep of unused images and an upload of the same picture at that moment: files are named by their
 * content, so the sweep deleting an old unused upload must not take the files the new upload's row uses.
 */

const DAY = 24 * 3_600_000;

/** One picture per colour: uploaded twice, it is one pair of files. */
const picture = (r: number) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r, g: 70, b: 20 } } })
    .png()
    .toBuffer();

async function uploadAs(env: TestEnv, deps: Deps, slug: string, user: TestUser, bytes: Buffer) {
  const access = await communityAccess(env.deps, { slug }, actorOf(user));
  return uploadAttachment(deps, access, { bytes, truncated: false, name: "p.png" });
}

async function served(env: TestEnv, url: string): Promise<boolean> {
  return (await env.app.inject({ method: "GET", url })).statusCode === 200;
}

/**
 * Member A uploaded the picture and never used it, two days ago: the next sweep deletes that row, and only
 * it (earlier tests' rows are swept first).
 */
async function abandonedUpload(env: TestEnv, r: number) {
  env.clock.advance(2 * DAY);
  while ((await removeOrphanAttachments(env.deps)).more) {}
  const { slug, members } = await buildCommunity(env, { members: { member: 2 } });
  const [a, b] = members.member;
  const bytes = await picture(r);
  const abandoned = await uploadAs(env, env.deps, slug, a, bytes);
  env.clock.advance(2 * DAY);
  return { slug, b, bytes, abandoned };
}

/**
 * Whether the open transaction of the caller holds back another session: on PostgreSQL, one of its
 * sessions waits on a lock this one holds; SQLite runs one transaction at a time, so any other waits.
 */
async function holdsOthersBack(env: TestEnv, pid: number | null): Promise<boolean> {
  if (pid === null) return env.deps.dialect === "sqlite" && currentTransaction() !== undefined;
  return blocksAnotherSession(env, pid);
}

describeEachDatabase(
  "the orphan sweep and an upload of the same picture",
  (env) => {
    test("the sweep runs before the new upload's row is written: the new upload's image is served", async () => {
      const { slug, b, bytes, abandoned } = await abandonedUpload(env(), 11);
      let swept = false;
      const deps = openingTransactionAfter(env().deps, async () => {
        if (swept) return;
        swept = true;
        assert.equal((await removeOrphanAttachments(env().deps)).removed, 1);
      });

      const attachment = await uploadAs(env(), deps, slug, b, bytes);

      assert.ok(swept);
      assert.equal(attachment.url, abandoned.url, "the same picture, the same files");
      assert.ok(await served(env(), attachment.url), attachment.url);
      assert.ok(await served(env(), attachment.thumbnailUrl), attachment.thumbnailUrl);
    });

    test("the upload runs while the sweep deletes the files: the new upload's image is served", async () => {
      const { slug, b, bytes } = await abandonedUpload(env(), 12);
      const storage = storageFor(env().deps.config);
      const remove = storage.delete;
      let uploading: ReturnType<typeof uploadAs> | undefined;
      // At the sweep's first file deletion, B uploads the picture; the deletion goes on once B's upload
      // is done or waits for the sweep.
      storage.delete = async (key) => {
        if (!uploading) {
          const tx = currentTransaction();
          const pid = tx && env().deps.dialect === "postgres" ? await backendPid(tx.db) : null;
          let done = false;
          uploading = uploadAs(env(), env().deps, slug, b, bytes).finally(() => {
            done = true;
          });
          await until("the upload to finish or wait for the sweep", async () => done || holdsOthersBack(env(), pid));
        }
        return remove.call(storage, key);
      };
      try {
        assert.equal((await removeOrphanAttachments(env().deps)).removed, 1);
      } finally {
        storage.delete = remove;
      }

      assert.ok(uploading, "the sweep deleted files");
      const attachment = await uploading;
      assert.ok(await served(env(), attachment.url), attachment.url);
      assert.ok(await served(env(), attachment.thumbnailUrl), attachment.thumbnailUrl);
    });
  },
  { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-orphan-sweep-race-")) },
);
