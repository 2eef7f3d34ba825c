import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { sqliteBefore } from "./migration-support.ts";

test("migration 041 marks the posts held for review unpublished, every other post published", async () => {
  const { db, row, migrateRest } = await sqliteBefore("041_published_posts");
  row("users", { id: 7, email: "u7@example.test", handle: "u7" });
  row("communities", { id: 1, slug: "c1" });
  const states = ["visible", "pending", "hidden", "deleted"];
  for (const [i, state] of states.entries()) {
    const id = i + 1;
    row("topics", { id, community_id: 1, author_id: 7, body: "Question", created_at: 50, moderation_state: state });
    row("replies", { id, topic_id: 1, author_id: 7, body: "Answer", created_at: 60, moderation_state: state });
    row("comments", { id, topic_id: 1, author_id: 7, body: "Note", created_at: 70, moderation_state: state });
  }
  const all = await migrateRest();
  assert.equal(all.error, undefined, String(all.error));
  for (const table of ["topics", "replies", "comments"]) {
    const rows = await sql<{ moderation_state: string; published: number }>`
      select moderation_state, published from ${sql.table(table)} order by id`.execute(db);
    assert.deepEqual(
      rows.rows.map((r) => [r.moderation_state, r.published]),
      [
        ["visible", 1],
        ["pending", 0],
        ["hidden", 1],
        ["deleted", 1],
      ],
      table,
    );
  }
  await db.destroy();
});
