import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildCommunity, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { orphanAttachmentsJob } from "../../src/jobs/maintenance.ts";
import { attachedImage } from "../../src/lib/attachments.ts";
import { ORPHAN_BATCH, removeOrphanAttachments } from "../../src/storage/attachment-orphans.ts";
import { storageFor } from "../../src/storage/storage.ts";

/**
 * Sweeps of unused images never overlap: two at once could each take the other's row of a shared key for a user
 * of its files, and the files would never be deleted; a full batch queues one follow-up, not two chains.
 */

const DAY = 24 * 3_600_000;

/** Rows for stored images (`copies` rows each, as when one picture is uploaded several times), no text using them. */
async function storeUnused(env: TestEnv, images: { hash: string; copies: number }[]) {
  const { community, members } = await buildCommunity(env, { members: { member: 1 } });
  const storage = storageFor(env.deps.config);
  const stored = [];
  for (const { hash, copies } of images) {
    const image = attachedImage(hash, 64, 48);
    await storage.put(image.key, Buffer.from(hash), "image/webp");
    await storage.put(image.thumbKey, Buffer.from(hash), "image/webp");
    for (let i = 0; i < copies; i++) {
      await env.deps.db
        .insertInto("attachments")
        .values({
          communityId: community.id,
          ownerId: members.member[0].id,
          key: image.key,
          width: 64,
          height: 48,
          bytes: 10,
          createdAt: env.clock.now(),
        })
        .execute();
    }
    stored.push(image);
  }
  return stored;
}

const rowCount = async (env: TestEnv) =>
  Number(
    (
      await env.deps.db
        .selectFrom("attachments")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirst()
    )?.n,
  );

/** Every sweep due now, one after another, so each test starts with nothing left to look at. */
async function sweepAll(env: TestEnv) {
  while ((await removeOrphanAttachments(env.deps)).more) {}
}

describeEachDatabase(
  "sweeps of unused images never overlap",
  (env) => {
    test("two sweeps at once: one looks at the rows, the other does nothing; a shared picture's files go", async () => {
      const [shared, single] = await storeUnused(env(), [
        { hash: "a".repeat(32), copies: 2 },
        { hash: "b".repeat(32), copies: 1 },
      ]);
      env().clock.advance(DAY + 1);
      const before = await rowCount(env());
      // On PostgreSQL, two connections ready, so the sweeps run side by side from their first query.
      await Promise.all([rowCount(env()), rowCount(env())]);

      const sweeps = await Promise.all([removeOrphanAttachments(env().deps), removeOrphanAttachments(env().deps)]);

      assert.deepEqual(sweeps.map((s) => s.checked).sort(), [0, 3], "one sweep works, the other does nothing");
      assert.equal(await rowCount(env()), before - 3);
      const storage = storageFor(env().deps.config);
      for (const image of [shared, single]) {
        assert.equal(await storage.get(image.key), null, `${image.key} is deleted`);
        assert.equal(await storage.get(image.thumbKey), null, `${image.thumbKey} is deleted`);
      }
    });

    test("a sweep that stopped holds the others off until its lease runs out", async () => {
      await sweepAll(env());
      await storeUnused(env(), [{ hash: "c".repeat(32), copies: 1 }]);
      env().clock.advance(DAY + 1);
      // A sweep that took the lease and stopped (its worker died).
      await env()
        .deps.db.insertInto("settings")
        .values({ key: "attachments_orphans_lease", value: String(env().clock.now() + 60_000) })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: String(env().clock.now() + 60_000) }))
        .execute();

      assert.equal((await removeOrphanAttachments(env().deps)).checked, 0);
      env().clock.advance(60_001);
      assert.equal((await removeOrphanAttachments(env().deps)).checked, 1);
      // Released at the end: the next sweep needs no wait.
      await storeUnused(env(), [{ hash: "d".repeat(32), copies: 1 }]);
      env().clock.advance(DAY + 1);
      assert.equal((await removeOrphanAttachments(env().deps)).checked, 1);
    });

    test("the sweep's job run twice at once queues one follow-up for a full batch", async () => {
      await sweepAll(env());
      await env().deps.db.deleteFrom("jobs").where("name", "=", orphanAttachmentsJob.name).execute();
      // Rows of another shape are looked at and kept: a batch and one more.
      const { community, members } = await buildCommunity(env(), { members: { member: 1 } });
      await env()
        .deps.db.insertInto("attachments")
        .values(
          Array.from({ length: ORPHAN_BATCH + 1 }, (_, i) => ({
            communityId: community.id,
            ownerId: members.member[0].id,
            key: `other/${i}.png`,
            width: 1,
            height: 1,
            bytes: 1,
            createdAt: env().clock.now(),
          })),
        )
        .execute();
      env().clock.advance(DAY + 1);

      await Promise.all([orphanAttachmentsJob.run(env().deps, null), orphanAttachmentsJob.run(env().deps, null)]);

      const queued = await env()
        .deps.db.selectFrom("jobs")
        .select("dedupeKey")
        .where("name", "=", orphanAttachmentsJob.name)
        .where("status", "=", "pending")
        .execute();
      assert.equal(queued.length, 1, JSON.stringify(queued));
    });
  },
  { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-orphans-overlap-")) },
);
