import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { sqliteBefore } from "./migration-support.ts";

test("migration 039 gives tickets closed before 036 their closing time, unless reopened or relinked since", async () => {
  const { db, row, migrateRest } = await sqliteBefore("039_helpdesk_closed_backfill");
  row("users", { id: 7, email: "u7@example.test", handle: "u7" });
  for (const id of [1, 2]) row("communities", { id, slug: `c${id}` });
  const events: [number, string, string, number][] = [];
  // Topic 2: closed twice, the last closing counts; a status ignored after it does not reopen it.
  events.push([2, "ticket.closed", "applied: case resolved", 100], [2, "ticket.status", "applied: status open", 150]);
  events.push([2, "ticket.closed", "applied: no open case", 200], [2, "ticket.status", "ignored: status x", 250]);
  // Topic 3: reopened after its closing (any case). Topic 4: linked after it.
  events.push(
    [3, "ticket.closed", "applied: case resolved", 100],
    [3, "ticket.status", "applied: status Reopened", 300],
  );
  events.push([4, "ticket.closed", "applied: case resolved", 100], [4, "ticket.linked", "applied: linked", 300]);
  // Topic 5: its closing was refused. Topic 6: another community's closing of the same topic id.
  events.push([5, "ticket.closed", "refused: error", 100], [6, "ticket.closed", "applied: case resolved", 100]);
  for (const id of [2, 3, 4, 5, 6]) {
    row("topics", { id, community_id: 1, author_id: 7, body: "Question", created_at: 50 });
    row("helpdesk_tickets", { topic_id: id, community_id: 1, ticket_id: `T-${id}`, status: "pending", updated_at: 50 });
  }
  let delivery = 0;
  for (const [topicId, type, outcome, at] of events) {
    const communityId = topicId === 6 ? 2 : 1;
    row("helpdesk_events", {
      community_id: communityId,
      delivery_id: `d${++delivery}`,
      type,
      topic_id: topicId,
      outcome,
      received_at: at,
    });
  }
  const all = await migrateRest();
  assert.equal(all.error, undefined, String(all.error));
  const rows = await sql<{ topic_id: number; closed_at: number | null }>`
    select topic_id, closed_at from helpdesk_tickets order by topic_id`.execute(db);
  assert.deepEqual(rows.rows, [
    { topic_id: 2, closed_at: 200 },
    { topic_id: 3, closed_at: null },
    { topic_id: 4, closed_at: null },
    { topic_id: 5, closed_at: null },
    { topic_id: 6, closed_at: null },
  ]);
  await db.destroy();
});
