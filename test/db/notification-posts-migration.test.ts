import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { sqliteBefore } from "./migration-support.ts";

test("migration 031 names the reply or comment of earlier notifications from their event keys", async () => {
  const { db, row, migrateRest } = await sqliteBefore("031_notification_posts");
  row("users", { id: 7, email: "a@example.test", handle: "a" });
  const keys = ["reply:12", "accepted:34", "comment:56", "moderation:hide:1700000000000", "routed:9"];
  for (const [i, eventKey] of keys.entries())
    row("notifications", { id: i + 1, user_id: 7, kind: "k", data: "{}", event_key: eventKey });
  const all = await migrateRest();
  assert.equal(all.error, undefined, String(all.error));
  const rows = await sql<{ post_type: string | null; post_id: number | null }>`
    select post_type, post_id from notifications order by id`.execute(db);
  assert.deepEqual(rows.rows, [
    { post_type: "reply", post_id: 12 },
    { post_type: "reply", post_id: 34 },
    { post_type: "comment", post_id: 56 },
    { post_type: null, post_id: null },
    { post_type: null, post_id: null },
  ]);
  await db.destroy();
});
