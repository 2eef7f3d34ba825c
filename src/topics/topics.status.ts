import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { TopicStatus } from "./topics.schema.ts";

/**
 * A topic's lifecycle status, derived from facts stored on its row so it can never drift:
 * solved (an accepted reply) wins, then escalated (to staff), then abandoned (the asker went
 * silent), then answered (a visible reply that answers it), else open. `topicStatus` and `statusSql`
 * are the same rule, once for rows in TypeScript and once for filtering in SQL. A reply hidden or
 * deleted stops being the accepted one (setPostState, topics.state.ts): no solution nobody can read
 * makes a topic solved. A merged topic's question, a reply on the topic it went into, is a second
 * asking, not an answer: "answered" reads answerCount (its visible replies less such questions, kept
 * on the row wherever replyCount is), never replyCount.
 */
interface StatusFacts {
  acceptedReplyId: number | null;
  answerCount: number;
  escalatedAt: number | null;
  abandonedAt: number | null;
}

export function topicStatus(row: StatusFacts): TopicStatus {
  if (row.acceptedReplyId !== null) return "solved";
  if (row.escalatedAt !== null) return "escalated";
  if (row.abandonedAt !== null) return "abandoned";
  return row.answerCount > 0 ? "answered" : "open";
}

/** The status of the topics row under `alias` (a table name or alias of our own SQL, never user input). */
function statusSql(alias: string): RawBuilder<TopicStatus> {
  const t = sql.raw(alias);
  return sql<TopicStatus>`(case when ${t}.accepted_reply_id is not null then 'solved' when ${
    t
  }.escalated_at is not null then 'escalated'
    when ${t}.abandoned_at is not null then 'abandoned' when ${t}.answer_count > 0 then 'answered' else 'open' end)`;
}

export function hasStatus(alias: string, status: TopicStatus): RawBuilder<SqlBool> {
  return sql<SqlBool>`${statusSql(alias)} = ${status}`;
}
