import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describeEachDatabase } from "../helpers.ts";
import { storageFor } from "../../src/storage/storage.ts";

/**
 * A stored file is served for a year under its key (immutable), so `put` may leave nothing behind
 * that is not the whole file: its bytes reach the disk before the rename, and a failed write leaves
 * no temporary file.
 */

const bytes = Buffer.from("RIFF....WEBPVP8 not really a picture");

describeEachDatabase(
  "storing an uploaded file",
  (env) => {
    test("a put that fails leaves no temporary file behind", async () => {
      const { dataDir } = env().deps.config;
      const storage = storageFor(env().deps.config);
      const directory = path.join(dataDir, "uploads", "put-fails");
      // A directory where the file should go: the rename over it fails.
      fs.mkdirSync(path.join(directory, "taken.webp", "inside"), { recursive: true });

      await assert.rejects(storage.put("put-fails/taken.webp", bytes, "image/webp"));

      assert.deepEqual(fs.readdirSync(directory), ["taken.webp"]);
    });

    test("a put flushes the bytes to the disk before the file takes its key", async () => {
      const storage = storageFor(env().deps.config);
      const probe = await fsp.open(path.join(env().deps.config.dataDir, "probe"), "w");
      const prototype = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
      await probe.close();
      const sync = prototype.sync;
      const rename = fsp.rename;
      const events: string[] = [];
      prototype.sync = function (this: unknown) {
        events.push("sync");
        return sync.call(this);
      };
      fsp.rename = async (...args: Parameters<typeof rename>) => {
        events.push("rename");
        return rename(...args);
      };
      try {
        await storage.put("put-syncs/a.webp", bytes, "image/webp");
      } finally {
        prototype.sync = sync;
        fsp.rename = rename;
      }

      assert.deepEqual(events, ["sync", "rename"]);
      const response = await env().app.inject({ method: "GET", url: "/uploads/put-syncs/a.webp" });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.rawPayload, bytes);
      assert.equal(response.headers["content-type"], "image/webp");
    });
  },
  { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-storage-put-")) },
);
