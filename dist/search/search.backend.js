import { sql } from "kysely";
import { hasStatus } from "../topics/index.js";
import { visibleTopicsSql } from "../topics/index.js";
const HIT_COLUMNS = [
    ["d.id", "doc_id"],
    ["d.doc_type", "doc_type"],
    ["d.title", "doc_title"],
    ["dup.original_id", "duplicate_of"],
    ["t.id", "t_id"],
    ["t.accepted_reply_id", "t_accepted_reply_id"],
    ["a.id", "a_id"],
    ["a.title", "a_title"],
    ["a.community_id", "a_community_id"],
    ["a.category_id", "a_category_id"],
    ["acat.slug", "a_category_slug"],
    ["acat.name", "a_category_name"],
    ["a.source_topic_id", "a_source_topic_id"],
    ["a.created_at", "a_created_at"],
    ["a.updated_at", "a_updated_at"],
];
/** The select list of a hit: document, topic id, article summary, duplicate mark. */
export const hitColumns = sql.raw(HIT_COLUMNS.map(([column, alias]) => `${column} as ${alias}`).join(", "));
/** The same columns read back from a subquery aliased `s`. */
export const hitColumnsOf = (alias) => sql.raw(HIT_COLUMNS.map(([, name]) => `${alias}.${name}`).join(", "));
/** Joins from a search document `d` to what a hit shows; an article shows with its source topic, if any. */
export const hitJoins = sql.raw(`left join articles a on a.id = d.article_id
left join topics t on t.id = coalesce(d.topic_id, a.source_topic_id)
left join categories cat on cat.id = t.category_id
left join categories acat on acat.id = a.category_id
left join topic_duplicates dup on dup.topic_id = d.topic_id`);
/**
 * The topic hits a viewer may see: the topic list's conditions (topics.queries listTopics):
 * private categories only for their asker and staff (topics.visibility.ts), moderated or merged
 * topics left out, champions-only categories only for champions and staff. Articles are for
 * everyone who sees the community; the source topic an article carries is checked again in
 * TypeScript with the topics domain's policy before it is shown.
 */
export function visibleTo(audience) {
    const champions = audience.champions ? sql `` : sql ` and (cat.champions_only is null or cat.champions_only = 0)`;
    return sql `and (d.doc_type = 'article' or (${visibleTopicsSql(audience.viewer, "t")} and t.moderation_state = 'visible'${champions}))`;
}
/** Filter conditions on the live rows (each prefixed with "and"); kind and open/answered leave articles out. */
export function filterConditions(filters) {
    const parts = [];
    if (filters.kind)
        parts.push(sql `and d.doc_type = 'topic' and t.kind = ${filters.kind}`);
    // The topic's lifecycle status, the same rule as the topic list (topics.status.ts); articles count as solved.
    if (filters.status === "solved")
        parts.push(sql `and (d.doc_type = 'article' or ${hasStatus("t", "solved")})`);
    else if (filters.status)
        parts.push(sql `and d.doc_type = 'topic' and ${hasStatus("t", filters.status)}`);
    if (filters.tag)
        parts.push(sql `and exists (select 1 from topic_tags tt where tt.topic_id = t.id and tt.tag = ${filters.tag})`);
    if (filters.categoryId)
        parts.push(sql `and coalesce(a.category_id, t.category_id) = ${filters.categoryId}`);
    return parts.length ? sql.join(parts, sql ` `) : sql ``;
}
/** Duplicates never appear in similar-question suggestions. */
export const notDuplicate = sql `and not exists (select 1 from topic_duplicates x where x.topic_id = d.topic_id)`;
/** Reply text a snippet is looked for in. */
const SNIPPET_TEXT_MAX = 20_000;
/**
 * The hits among these documents that the audience may see and the filters keep, in one query,
 * in no particular order (the caller ranked them). With `texts`, the body, accepted answer and
 * replies for snippets; with `exceptDuplicates`, topics marked as duplicates are left out.
 */
export async function hitRows(db, request, ids, texts) {
    if (ids.length === 0)
        return [];
    return (await hitRowsQuery(request, ids, texts).execute(db)).rows;
}
/** The query hitRows runs (bench/explain.ts prints its plans). */
export function hitRowsQuery(request, ids, texts) {
    const textColumns = texts
        ? sql `, coalesce(x.body_text, '') as body_text, coalesce(x.accepted_text, '') as accepted_text,
        coalesce(substr(x.replies_text, 1, ${SNIPPET_TEXT_MAX}), '') as replies_text`
        : sql `, '' as body_text, '' as accepted_text, '' as replies_text`;
    return sql `select ${hitColumns}${textColumns}
    from search_documents d ${hitJoins} ${texts ? sql `left join search_texts x on x.doc_id = d.id` : sql ``}
    where d.id in (${sql.join(ids.map((id) => sql `${id}`))}) and d.community_id = ${request.communityId}
      ${request.exceptDuplicates ? notDuplicate : sql ``}
      ${visibleTo(request.audience)}
      ${filterConditions(request.filters ?? {})}`;
}
