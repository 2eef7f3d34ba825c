import { sql, type RawBuilder } from "kysely";
import type { Db } from "../db/database.ts";
import {
  boostFactor,
  filterConditions,
  hitColumns,
  hitColumnsOf,
  hitJoins,
  INDEXED_REPLIES_MAX,
  notDuplicate,
  tier,
  TS_RANK_WEIGHTS,
  TS_RANK_WEIGHTS_SIMILAR,
  visibleTo,
  type CandidateRow,
  type HitRow,
  type SearchBackend,
} from "./search.backend.ts";
import type { SearchLocale } from "./search.text.ts";

/**
 * PostgreSQL: one weighted tsvector per document (title A, tags and body B, accepted answer C,
 * other replies D) with a GIN index, the community's text search configuration for stemming,
 * ts_rank for relevance, ts_headline for snippets and pg_trgm (GIN on the title) for similar titles.
 * Query words always reach the database as parameters of plainto_tsquery.
 */
const CONFIG: Record<SearchLocale, string> = { en: "english", de: "german", fr: "french", it: "italian" };
/** Titles at least this similar (pg_trgm) are similar-question candidates; the default 0.3 misses paraphrases. */
export const TRIGRAM_THRESHOLD = 0.15;
const HEADLINE = `StartSel=\u0002, StopSel=\u0003, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1`;
/** Reply text ts_headline reads for a snippet; it parses the whole text it gets. */
const HEADLINE_TEXT_MAX = 20_000;

const regconfig = (locale: SearchLocale) => sql`${CONFIG[locale]}::regconfig`;

function tsquery(locale: SearchLocale, terms: string[], mode: "all" | "any"): RawBuilder<unknown> {
  const parts = terms.map((term) => sql`plainto_tsquery(${regconfig(locale)}, ${term})`);
  return sql`(${sql.join(parts, sql.raw(mode === "all" ? " && " : " || "))})`;
}

let trgmSchema: Promise<string> | undefined;

/** The schema holding pg_trgm (created by the migration), to call its function and operator by full name. */
function trgm(db: Db): Promise<string> {
  trgmSchema ??= sql<{
    schema: string;
  }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`
    .execute(db)
    .then((result) => {
      const schema = result.rows[0]?.schema;
      if (!schema || !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error("pg_trgm is not installed.");
      return schema;
    });
  trgmSchema.catch(() => (trgmSchema = undefined));
  return trgmSchema;
}

export const postgresBackend: SearchBackend = {
  async upsert(db, doc, now) {
    const cfg = regconfig(doc.locale);
    const replies = doc.replies.slice(0, INDEXED_REPLIES_MAX);
    const key = sql.raw(doc.docType === "topic" ? "topic_id" : "article_id");
    await sql`insert into search_documents (community_id, doc_type, topic_id, article_id, locale, title, body_text, accepted_text, replies_text, tsv, indexed_at)
      values (${doc.communityId}, ${doc.docType}, ${doc.topicId}, ${doc.articleId}, ${doc.locale}, ${doc.title}, ${doc.body}, ${doc.accepted}, ${replies},
        setweight(to_tsvector(${cfg}, ${doc.title}), 'A') || setweight(to_tsvector(${cfg}, ${doc.tags}), 'B') || setweight(to_tsvector(${cfg}, ${doc.body}), 'B')
          || setweight(to_tsvector(${cfg}, ${doc.accepted}), 'C') || setweight(to_tsvector(${cfg}, ${replies}), 'D'),
        ${now})
      on conflict (${key}) do update set community_id = excluded.community_id, doc_type = excluded.doc_type, topic_id = excluded.topic_id,
        article_id = excluded.article_id, locale = excluded.locale, title = excluded.title, body_text = excluded.body_text,
        accepted_text = excluded.accepted_text, replies_text = excluded.replies_text, tsv = excluded.tsv, indexed_at = excluded.indexed_at`.execute(
      db,
    );
  },

  async search(db, request) {
    const cfg = regconfig(request.locale);
    const headline = (column: string) =>
      sql`case when s.${sql.raw(column)} <> '' then ts_headline(${cfg}, s.${sql.raw(column)}, qq.q, ${HEADLINE}) end`;
    const result = await sql<HitRow>`with qq as (select ${tsquery(request.locale, request.terms, request.mode)} as q)
      select ${hitColumnsOf("s")}, s.score, ${headline("body_text")} as snip_body, ${headline("accepted_text")} as snip_accepted,
        ${headline("replies_text")} as snip_replies
      from (
        select ${hitColumns}, d.body_text, d.accepted_text, left(d.replies_text, ${HEADLINE_TEXT_MAX}) as replies_text,
          ts_rank(${TS_RANK_WEIGHTS}::float4[], d.tsv, qq.q) * ${boostFactor} as score, ${tier} as tier_rank
        from search_documents d cross join qq
        ${hitJoins}
        where d.community_id = ${request.communityId} and d.tsv @@ qq.q
          ${visibleTo(request.audience)}
          ${filterConditions(request.filters)}
        order by tier_rank, score desc, d.id desc
        limit ${request.limit} offset ${request.offset}
      ) s cross join qq
      order by s.tier_rank, s.score desc, s.doc_id desc`.execute(db);
    return result.rows;
  },

  async similarCandidates(db, request) {
    const schema = sql.raw(`"${await trgm(db)}"`);
    const similarity = sql`${schema}.similarity(d.title, ${request.title})`;
    const hasTerms = request.terms.length > 0;
    const q = hasTerms ? tsquery(request.locale, request.terms, "any") : sql`''::tsquery`;
    const lexical = hasTerms
      ? sql`select d.id from search_documents d cross join qq ${hitJoins}
          where d.community_id = ${request.communityId} and d.tsv @@ qq.q ${notDuplicate} ${visibleTo(request.audience)}
          order by ts_rank(${TS_RANK_WEIGHTS_SIMILAR}::float4[], d.tsv, qq.q) desc limit ${request.pool}`
      : sql`select null::integer as id where false`;
    const query = sql<CandidateRow>`with qq as (select ${q} as q),
      lex as (${lexical}),
      tri as (select d.id from search_documents d ${hitJoins}
        where d.community_id = ${request.communityId} and d.title operator(${schema}.%) ${request.title} ${notDuplicate} ${visibleTo(request.audience)}
        order by ${similarity} desc limit ${request.pool})
      select ${hitColumns}, d.title as doc_title, ${similarity} as trigram,
        case when d.tsv @@ qq.q then ts_rank(${TS_RANK_WEIGHTS_SIMILAR}::float4[], d.tsv, qq.q) else 0 end as lexical
      from search_documents d cross join qq
      ${hitJoins}
      where d.id in (select id from lex union select id from tri)`;
    const run = async (trx: Db) => {
      await sql`select set_config('pg_trgm.similarity_threshold', ${String(TRIGRAM_THRESHOLD)}, true)`.execute(trx);
      return (await query.execute(trx)).rows;
    };
    return db.isTransaction ? run(db) : db.transaction().execute(run);
  },
};
