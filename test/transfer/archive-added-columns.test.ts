import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import zlib from "node:zlib";
import { exportCommunity, importArchive } from "../../src/transfer/index.ts";
import { createTestEnv, DATABASES, type TestEnv } from "../helpers.ts";
import { jobBody, market } from "../marketplace/support.ts";
import { patchSettings } from "../reputation/support.ts";

/** Thursday 1 January 2026, 12:00 UTC: the clock the marketplace helpers' times are set from. */
const NEW_YEAR = Date.UTC(2026, 0, 1, 12);

/** The archive as a version without the columns migrations 040, 041 and 042 added would have written it. */
function withoutAddedColumns(file: string, into: string): void {
  const lines = zlib.gunzipSync(fs.readFileSync(file)).toString().trim().split("\n");
  const older = lines.map((line) => {
    const entry = JSON.parse(line);
    if (["topics", "replies", "comments"].includes(entry.table)) delete entry.row.published;
    if (entry.table === "jobRequests" || entry.table === "offers") delete entry.row.currency;
    return JSON.stringify(entry);
  });
  fs.writeFileSync(into, zlib.gzipSync(older.join("\n")));
}

for (const database of DATABASES)
  describe(`an archive made before a column was added [${database.name}]`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-archive-added-"));
    let source: TestEnv;
    let target: TestEnv;
    before(async () => {
      source = await createTestEnv(database, { dataDir: path.join(dir, "source") });
      target = await createTestEnv(database, { dataDir: path.join(dir, "target") });
    });
    after(async () => {
      await source.close();
      await target.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test("a held post stays unpublished and a job and an offer keep their community's currency", async () => {
      source.clock.set(NEW_YEAR);
      const m = await market(source);
      const currency = { currency: "EUR" };
      const set = await source.api.patch(`/api/v1/communities/${m.slug}/marketplace-settings`, currency, m.admin.auth);
      assert.equal(set.status, 200);
      const job = await source.api.post(
        `/api/v1/communities/${m.slug}/job-requests`,
        jobBody(source, m.service.id),
        m.customer.auth,
      );
      assert.equal(job.body.jobRequest.currency, "EUR");
      await patchSettings(source, m.slug, m.admin, "moderation", { approveFirstPosts: 1 });
      const held = await source.api.post(
        `/api/v1/communities/${m.slug}/topics`,
        { kind: "question", title: "My modem blinks orange all night", body: "Details of the problem." },
        m.other.auth,
      );
      assert.equal(held.body.topic.moderationState, "pending");

      const file = path.join(dir, "archive.jsonl.gz");
      const older = path.join(dir, "older.jsonl.gz");
      await exportCommunity(source.deps, { slug: m.slug, file });
      withoutAddedColumns(file, older);
      await importArchive(target.deps, { file: older });

      const heldHere = await target.deps.db
        .selectFrom("topics")
        .select("published")
        .where("id", "=", held.body.topic.id)
        .executeTakeFirstOrThrow();
      assert.equal(heldHere.published, 0, "approving it here announces it");
      const imported = await target.deps.db
        .selectFrom("jobRequests")
        .select("currency")
        .where("id", "=", job.body.jobRequest.id)
        .executeTakeFirstOrThrow();
      assert.equal(imported.currency, "EUR");
      // As migration 042 fills it: the community's currency when the archive was made.
      const offer = await target.deps.db
        .selectFrom("offers")
        .select("currency")
        .where("id", "=", m.offer.id)
        .executeTakeFirstOrThrow();
      assert.equal(offer.currency, "EUR");
    });
  });
