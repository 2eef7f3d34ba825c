import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { sqliteBefore } from "./migration-support.ts";

// PostgreSQL alters the table in place (every suite there runs it); SQLite rebuilds it, tested here on rows.
test("migration 020 rebuilds comments on SQLite and keeps every row, its state and the id sequence", async () => {
  const { sqlite, db, row, migrateRest } = await sqliteBefore("020_topic_comments");
  row("users", { id: 7, email: "a@example.test", handle: "a" });
  row("communities", { id: 1, slug: "c" });
  row("topics", { id: 3, community_id: 1, author_id: 7 });
  for (const id of [11, 12, 15]) row("replies", { id, topic_id: 3, author_id: 7 });
  for (const [id, state] of [
    [1, "visible"],
    [2, "hidden"],
    [5, "pending"],
  ] as const)
    await sql`insert into comments (id, reply_id, author_id, body, body_html, created_at, moderation_state)
      values (${id}, ${10 + id}, 7, ${`comment ${id}`}, ${`<p>comment ${id}</p>`}, ${1000 + id}, ${state})`.execute(db);
  await sql`delete from comments where id = 5`.execute(db); // the sequence stays at 5

  const all = await migrateRest();
  assert.equal(all.error, undefined, String(all.error));
  // The columns 020 made (later migrations add others).
  const rows = await sql<Record<string, unknown>>`select id, reply_id, topic_id, author_id, body, body_html,
    created_at, moderation_state from comments order by id`.execute(db);
  assert.deepEqual(rows.rows, [
    {
      id: 1,
      reply_id: 11,
      topic_id: null,
      author_id: 7,
      body: "comment 1",
      body_html: "<p>comment 1</p>",
      created_at: 1001,
      moderation_state: "visible",
    },
    {
      id: 2,
      reply_id: 12,
      topic_id: null,
      author_id: 7,
      body: "comment 2",
      body_html: "<p>comment 2</p>",
      created_at: 1002,
      moderation_state: "hidden",
    },
  ]);
  const indexes = sqlite
    .prepare("select name from sqlite_master where type = 'index' and tbl_name = 'comments' and sql is not null")
    .all()
    .map((r) => (r as { name: string }).name)
    .sort();
  assert.deepEqual(indexes, ["comments_created", "comments_reply", "comments_topic"]);

  // Exactly one parent: a reply or a topic, never both, never neither.
  const insert = (replyId: number | null, topicId: number | null) =>
    sql`insert into comments (reply_id, topic_id, author_id, body, body_html, created_at)
      values (${replyId}, ${topicId}, 7, 'x', 'x', 1)`.execute(db);
  await assert.rejects(insert(11, 3), /CHECK constraint failed/);
  await assert.rejects(insert(null, null), /CHECK constraint failed/);
  await insert(null, 3);
  const fresh = await sql<{ id: number }>`select max(id) as id from comments`.execute(db);
  assert.equal(fresh.rows[0].id, 6, "no id handed out twice");
  await db.destroy();
});
