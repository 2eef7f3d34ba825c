import { DEFAULT_MARKETPLACE_SETTINGS } from "../marketplace/index.ts";

type Row = Record<string, unknown>;

/**
 * An archive made before a column was added lacks it, and the insert would give every row the
 * column's default. Where the right value follows from the archive itself, it is filled in here,
 * as the migration that added the column filled it in for the rows it found.
 */
export function fillAddedColumns(rows: Map<string, Row[]>): void {
  // Migration 041: a post held for review was never published (approving it announces it).
  for (const table of ["topics", "replies", "comments"])
    for (const row of rows.get(table) ?? [])
      if (row.published === undefined) row.published = row.moderationState === "pending" ? 0 : 1;
  // Migration 043: a topic's answers are its visible replies but the asker's own and merged topics' questions.
  const askers = new Map((rows.get("topics") ?? []).map((topic) => [topic.id, topic.authorId]));
  const answers = new Map<unknown, number>();
  for (const reply of rows.get("replies") ?? [])
    if (
      reply.moderationState === "visible" &&
      reply.mergedFromTopicId == null &&
      reply.authorId !== askers.get(reply.topicId)
    )
      answers.set(reply.topicId, (answers.get(reply.topicId) ?? 0) + 1);
  for (const topic of rows.get("topics") ?? [])
    if (topic.answerCount === undefined) topic.answerCount = answers.get(topic.id) ?? 0;
  // Migrations 040 and 042: job requests and offers made before them are in their community's currency.
  const currency = rows.get("marketplaceSettings")?.[0]?.currency ?? DEFAULT_MARKETPLACE_SETTINGS.currency;
  for (const table of ["jobRequests", "offers"])
    for (const row of rows.get(table) ?? []) if (row.currency === undefined) row.currency = currency;
}
