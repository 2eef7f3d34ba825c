import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { sqliteBefore } from "./migration-support.ts";

test("migration 032 finds the replies earlier merges made of merged questions", async () => {
  const { db, row, migrateRest } = await sqliteBefore("032_merged_questions");
  for (const id of [7, 8]) row("users", { id, email: `u${id}@example.test`, handle: `u${id}` });
  row("communities", { id: 1, slug: "c" });
  row("topics", { id: 2, community_id: 1, author_id: 8, body: "The original", created_at: 500 });
  row("topics", {
    id: 3,
    community_id: 1,
    author_id: 7,
    body: "Same question",
    created_at: 400,
    moderation_state: "merged",
    merged_into_id: 2,
  });
  row("replies", { id: 10, topic_id: 2, author_id: 7, body: "Same question", created_at: 400 });
  row("replies", { id: 11, topic_id: 2, author_id: 7, body: "A real answer", created_at: 600 });
  const all = await migrateRest();
  assert.equal(all.error, undefined, String(all.error));
  const rows = await sql<{ id: number; merged_from_topic_id: number | null }>`
    select id, merged_from_topic_id from replies order by id`.execute(db);
  assert.deepEqual(rows.rows, [
    { id: 10, merged_from_topic_id: 3 },
    { id: 11, merged_from_topic_id: null },
  ]);
  await db.destroy();
});
