import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { buildCommunity, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { uploadImage } from "./support.ts";
import { removeOrphanAttachments } from "../../src/storage/attachment-orphans.ts";
import { storageFor } from "../../src/storage/storage.ts";

/** An upload refused past the day's allowance, or whose files cannot be written, leaves nothing behind. */

const DAY = 24 * 3_600_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-upload-refused-"));

/** Distinct small pictures: each is its own stored file (files are named by their content). */
const pictures = (count: number) =>
  Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      name: `shot ${i}.png`,
      type: "image/png",
      bytes: await sharp({ create: { width: 40 + i, height: 30, channels: 3, background: { r: i, g: 9, b: 9 } } })
        .png()
        .toBuffer(),
    })),
  );

const files = () => {
  const dir = path.join(dataDir, "uploads/attachments");
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};
const rowCount = async (env: TestEnv) => (await env.deps.db.selectFrom("attachments").select("key").execute()).length;

describeEachDatabase(
  "uploads refused keep no files",
  (env) => {
    test("uploads sent at once past the allowance: the refused ones write no file, the sweep leaves none", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
      const member = members.member[0];
      const images = await pictures(14);

      const answers = await Promise.all(
        images.map(async (image) => (await uploadImage(env(), slug, member, image)).status),
      );

      const count = (status: number) => answers.filter((answer) => answer === status).length;
      assert.deepEqual([count(201), count(429)], [10, 4]);
      assert.equal(files().length, (await rowCount(env())) * 2, "a full image and a thumbnail per row, no more");
      env().clock.advance(2 * DAY);
      await removeOrphanAttachments(env().deps);
      assert.equal(await rowCount(env()), 0);
      assert.deepEqual(files(), []);
    });

    test("an upload whose files cannot be written fails without a row", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
      const member = members.member[0];
      const [image] = await pictures(1);
      const storage = storageFor(env().deps.config);
      const put = storage.put;
      storage.put = async () => {
        throw new Error("disk full");
      };
      try {
        assert.equal((await uploadImage(env(), slug, member, image)).status, 500);
      } finally {
        storage.put = put;
      }
      const rows = await env()
        .deps.db.selectFrom("attachments")
        .select("id")
        .where("ownerId", "=", member.id)
        .execute();
      assert.deepEqual(rows, []);
    });
  },
  { dataDir },
);
