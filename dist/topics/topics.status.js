import { sql } from "kysely";
export function topicStatus(row) {
    if (row.acceptedReplyId !== null)
        return "solved";
    if (row.escalatedAt !== null)
        return "escalated";
    if (row.abandonedAt !== null)
        return "abandoned";
    return row.replyCount > 0 ? "answered" : "open";
}
/** The status of the topics row under `alias` (a table name or alias of our own SQL, never user input). */
function statusSql(alias) {
    const t = sql.raw(alias);
    return sql `(case when ${t}.accepted_reply_id is not null then 'solved' when ${t}.escalated_at is not null then 'escalated'
    when ${t}.abandoned_at is not null then 'abandoned' when ${t}.reply_count > 0 then 'answered' else 'open' end)`;
}
export function hasStatus(alias, status) {
    return sql `${statusSql(alias)} = ${status}`;
}
