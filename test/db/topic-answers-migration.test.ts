import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { sqliteBefore } from "./migration-support.ts";

test("migration 043 counts a topic's answers: visible replies, not merged questions", async () => {
  const { db, row, migrateRest } = await sqliteBefore("043_topic_answers");
  for (const id of [7, 8]) row("users", { id, email: `u${id}@example.test`, handle: `u${id}` });
  row("communities", { id: 1, slug: "c" });
  // 2: only a merged question; 4: that and an answer, plus a hidden one; 5: no reply.
  row("topics", { id: 2, community_id: 1, author_id: 8, body: "Original", created_at: 500, reply_count: 1 });
  row("topics", { id: 3, community_id: 1, author_id: 7, body: "Copy", created_at: 400, moderation_state: "merged" });
  row("topics", { id: 4, community_id: 1, author_id: 8, body: "Other", created_at: 500, reply_count: 2 });
  row("topics", { id: 5, community_id: 1, author_id: 8, body: "Quiet", created_at: 500, reply_count: 0 });
  row("replies", { id: 10, topic_id: 2, author_id: 7, body: "Copy", created_at: 400, merged_from_topic_id: 3 });
  row("replies", { id: 11, topic_id: 4, author_id: 7, body: "Copy", created_at: 400, merged_from_topic_id: 3 });
  row("replies", { id: 12, topic_id: 4, author_id: 7, body: "An answer", created_at: 600 });
  row("replies", { id: 13, topic_id: 4, author_id: 7, body: "Hidden", created_at: 700, moderation_state: "hidden" });
  const all = await migrateRest();
  assert.equal(all.error, undefined, String(all.error));
  const rows = await sql<{ id: number; answer_count: number; last_event_at: number | null }>`
    select id, answer_count, last_event_at from topics order by id`.execute(db);
  assert.deepEqual(rows.rows, [
    { id: 2, answer_count: 0, last_event_at: null },
    { id: 3, answer_count: 0, last_event_at: null },
    { id: 4, answer_count: 1, last_event_at: null },
    { id: 5, answer_count: 0, last_event_at: null },
  ]);
  await db.destroy();
});
