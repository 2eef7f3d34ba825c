import { sql } from "kysely";
import type { Db, Dialect } from "../db/database.ts";
import {
  FIELDS,
  fieldFactors,
  idf,
  type Bm25Params,
  type CorpusStats,
  type DocScore,
  type Field,
  type FieldWeights,
  type QueryTerm,
} from "./search.bm25.ts";
import { analyze, trigrams, type SearchLocale } from "./search.text.ts";

/**
 * The search index's own storage, the same tables and queries on both engines (migration 010):
 * postings per (community, term, document) with per-field term frequencies, document frequencies
 * per term and summed lengths per community, all kept by the indexer in the document's
 * transaction. Title trigrams are stored as terms "~abc" (the tokenizer only emits letters and
 * digits, so they never meet a word).
 */
export interface IndexedDocument {
  communityId: number;
  docType: "topic" | "article";
  topicId: number | null;
  articleId: number | null;
  locale: SearchLocale;
  title: string;
  tags: string;
  body: string;
  /** The accepted answer: its own field ("matching the query against accepted answers"). */
  accepted: string;
  replies: string;
  /** Solved topics and articles get the solved boost. */
  solved: boolean;
}

/** Reply text beyond this is not indexed (a huge thread says little more about its question). */
export const INDEXED_REPLIES_MAX = 200_000;
/** Prefix of title-trigram terms. */
export const GRAM = "~";
const INSERT_ROWS = 1_000;

export const gramTerms = (title: string): string[] => [...trigrams(title)].map((g) => GRAM + g);

type Tf = Record<Field, number>;

/** Term frequencies per field, the field lengths (in terms) and the title trigrams of a document. */
function termsOf(doc: IndexedDocument): { terms: Map<string, Tf>; lengths: Tf } {
  const terms = new Map<string, Tf>();
  const lengths = { title: 0, tags: 0, body: 0, accepted: 0, replies: 0 };
  const text: Record<Field, string> = {
    title: doc.title,
    tags: doc.tags,
    body: doc.body,
    accepted: doc.accepted,
    replies: doc.replies.slice(0, INDEXED_REPLIES_MAX),
  };
  for (const field of FIELDS) {
    const tokens = analyze(text[field], doc.locale);
    lengths[field] = tokens.length;
    for (const term of tokens) {
      const tf = terms.get(term) ?? { title: 0, tags: 0, body: 0, accepted: 0, replies: 0 };
      tf[field]++;
      terms.set(term, tf);
    }
  }
  for (const gram of gramTerms(doc.title)) terms.set(gram, { title: 1, tags: 0, body: 0, accepted: 0, replies: 0 });
  return { terms, lengths };
}

const LEN_COLUMNS = {
  lenTitle: "title",
  lenTags: "tags",
  lenBody: "body",
  lenAccepted: "accepted",
  lenReplies: "replies",
} as const;

/**
 * Writes (or rewrites) one document and returns its id: its row, its postings, and the changes to document
 * frequencies and community totals. Document frequencies change in one statement, in term
 * order, so concurrent indexers on PostgreSQL lock rows in the same order and cannot deadlock.
 */
export async function upsertDocument(db: Db, dialect: Dialect, doc: IndexedDocument, now: number): Promise<number> {
  const run = async (trx: Db): Promise<number> => {
    const key = doc.docType === "topic" ? ("topicId" as const) : ("articleId" as const);
    const keyValue = (doc.docType === "topic" ? doc.topicId : doc.articleId)!;
    let find = trx
      .selectFrom("searchDocuments")
      .select(["id", "communityId", ...(Object.keys(LEN_COLUMNS) as (keyof typeof LEN_COLUMNS)[])])
      .where(key, "=", keyValue);
    if (dialect === "postgres") find = find.forUpdate();
    let existing = await find.executeTakeFirst();
    if (existing && existing.communityId !== doc.communityId) {
      await trx.deleteFrom("searchDocuments").where("id", "=", existing.id).execute();
      existing = undefined;
    }
    const { terms, lengths } = termsOf(doc);
    const values = {
      communityId: doc.communityId,
      docType: doc.docType,
      topicId: doc.topicId,
      articleId: doc.articleId,
      locale: doc.locale,
      title: doc.title,
      solved: doc.solved ? 1 : 0,
      lenTitle: lengths.title,
      lenTags: lengths.tags,
      lenBody: lengths.body,
      lenAccepted: lengths.accepted,
      lenReplies: lengths.replies,
      indexedAt: now,
    };
    const delta = new Map<string, number>();
    let id: number;
    let docs = 1;
    const lengthDelta = { ...lengths };
    if (existing) {
      id = existing.id;
      docs = 0;
      for (const [column, field] of Object.entries(LEN_COLUMNS))
        lengthDelta[field] -= Number(existing[column as keyof typeof LEN_COLUMNS]);
      const old = await trx.selectFrom("searchPostings").select("term").where("docId", "=", id).execute();
      for (const { term } of old) if (!terms.has(term)) delta.set(term, -1);
      await trx.deleteFrom("searchPostings").where("docId", "=", id).execute();
      await trx.updateTable("searchDocuments").set(values).where("id", "=", id).execute();
      const oldTerms = new Set(old.map((o) => o.term));
      for (const term of terms.keys()) if (!oldTerms.has(term)) delta.set(term, 1);
    } else {
      id = (await trx.insertInto("searchDocuments").values(values).returning("id").executeTakeFirstOrThrow()).id;
      for (const term of terms.keys()) delta.set(term, 1);
    }
    const texts = {
      bodyText: doc.body,
      acceptedText: doc.accepted,
      repliesText: doc.replies.slice(0, INDEXED_REPLIES_MAX),
    };
    await trx
      .insertInto("searchTexts")
      .values({ docId: id, ...texts })
      .onConflict((oc) => oc.column("docId").doUpdateSet(texts))
      .execute();
    const postings = [...terms].map(([term, tf]) => ({ communityId: doc.communityId, term, docId: id, ...tf }));
    for (let i = 0; i < postings.length; i += INSERT_ROWS)
      await trx
        .insertInto("searchPostings")
        .values(postings.slice(i, i + INSERT_ROWS))
        .execute();
    const changes = [...delta].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (let i = 0; i < changes.length; i += INSERT_ROWS)
      await trx
        .insertInto("searchTerms")
        .values(changes.slice(i, i + INSERT_ROWS).map(([term, df]) => ({ communityId: doc.communityId, term, df })))
        .onConflict((oc) =>
          oc
            .columns(["communityId", "term"])
            .doUpdateSet((eb) => ({ df: eb("searchTerms.df", "+", eb.ref("excluded.df")) })),
        )
        .execute();
    const totals = {
      docs,
      lenTitle: lengthDelta.title,
      lenTags: lengthDelta.tags,
      lenBody: lengthDelta.body,
      lenAccepted: lengthDelta.accepted,
      lenReplies: lengthDelta.replies,
    };
    await trx
      .insertInto("searchStats")
      .values({ communityId: doc.communityId, ...totals })
      .onConflict((oc) =>
        oc.column("communityId").doUpdateSet((eb) => ({
          docs: eb("searchStats.docs", "+", eb.ref("excluded.docs")),
          lenTitle: eb("searchStats.lenTitle", "+", eb.ref("excluded.lenTitle")),
          lenTags: eb("searchStats.lenTags", "+", eb.ref("excluded.lenTags")),
          lenBody: eb("searchStats.lenBody", "+", eb.ref("excluded.lenBody")),
          lenAccepted: eb("searchStats.lenAccepted", "+", eb.ref("excluded.lenAccepted")),
          lenReplies: eb("searchStats.lenReplies", "+", eb.ref("excluded.lenReplies")),
        })),
      )
      .execute();
    return id;
  };
  if (db.isTransaction) return run(db);
  return db.transaction().execute(run);
}

/** Documents, average field lengths and the document frequency of each of these terms, in one community. */
export async function corpusStats(db: Db, communityId: number, terms: string[]): Promise<CorpusStats> {
  const [totals, dfs] = await Promise.all([
    db.selectFrom("searchStats").selectAll().where("communityId", "=", communityId).executeTakeFirst(),
    terms.length
      ? db
          .selectFrom("searchTerms")
          .select(["term", "df"])
          .where("communityId", "=", communityId)
          .where("term", "in", terms)
          .execute()
      : Promise.resolve([]),
  ]);
  const docs = Math.max(0, Number(totals?.docs ?? 0));
  const avg = (sum: unknown): number => (docs > 0 ? Math.max(1, Number(sum) / docs) : 1);
  const average: FieldWeights = {
    title: avg(totals?.lenTitle),
    tags: avg(totals?.lenTags),
    body: avg(totals?.lenBody),
    accepted: avg(totals?.lenAccepted),
    replies: avg(totals?.lenReplies),
  };
  const df = new Map<string, number>();
  for (const row of dfs) if (Number(row.df) > 0) df.set(row.term, Math.min(docs, Number(row.df)));
  return { docs, avg: average, df };
}

const float = (value: number) => sql`cast(${value} as double precision)`;
const inList = (values: (string | number)[]) => sql.join(values.map((v) => sql`${v}`));

/**
 * Room left for rounding when max-score pruning compares a document's partial score, plus the
 * most the unread words could add, with the k-th best partial score (scores are rounded to 1e-9).
 */
const PRUNING_SLACK = 1e-6;

export interface RankRequest {
  communityId: number;
  terms: QueryTerm[];
  stats: CorpusStats;
  params: Bm25Params;
  /** Terms whose postings are read in full... */
  full: string[];
  /** ...and terms read only in documents holding one of `full` (see splitByBudget). */
  restricted?: string[];
  /** Score only these documents (every term read). */
  onlyDocs?: number[];
  /**
   * similar: by score; search: documents holding every term first, then articles, then score
   * with `solvedBoost` for solved topics and articles.
   */
  order: "similar" | "search";
  solvedBoost?: number;
  limit: number;
  offset?: number;
}

/**
 * BM25F of the best documents for a query, computed by the database over the postings (so only
 * `limit` rows come back), with the same arithmetic on both engines: per posting, the weighted,
 * length-normalised term frequency from the same double constants (bound parameters cast to
 * double precision), then qw * idf * tf / (k1 + tf), summed per document and
 * rounded to 1e-9 (SQLite's compensated sum and PostgreSQL's plain one may differ in the last bit).
 */
export async function rankPostings(db: Db, dialect: Dialect, request: RankRequest): Promise<DocScore[]> {
  if (request.full.length === 0 || request.terms.length === 0) return [];
  const result = await rankQuery(dialect, request).execute(db);
  return result.rows.map((r) => ({ ...r, docId: Number(r.docId), score: Number(r.score), matched: Number(r.matched) }));
}

/**
 * The one statement rankPostings runs (bench/explain.ts prints its plans). The `full` terms'
 * postings are read (the query terms drive the join: a primary-key range per term); `restricted`
 * terms are then probed, one primary-key lookup per document, only in the documents those found.
 *
 * Ordered by score alone ("similar"), the probes are cut by max-score pruning (top-k safe): a
 * document's score is its partial score over `full` plus at most qw x idf per restricted term
 * (tf / (k1 + tf) < 1), and the k best partial scores are lower bounds of k final scores; a
 * document whose partial score plus that bound stays below the k-th best partial score cannot be
 * among the first k, so its restricted terms are not read. The scores and the order of the first
 * k are those of reading every posting.
 */
export function rankQuery(dialect: Dialect, request: RankRequest) {
  const { communityId, terms, stats, params } = request;
  const restricted = request.restricted ?? [];
  const weightOf = (t: QueryTerm) => t.weight * idf(stats.df.get(t.term) ?? 0, stats.docs);
  const q = sql.join(terms.map((t, i) => sql`(${sql.lit(i)}, ${t.term}, ${float(weightOf(t))})`));
  const tf = sql.join(
    fieldFactors(params, stats).map(
      (f) =>
        sql`${float(f.weight)} * p.${sql.raw(f.field)} / (${float(f.base)} + ${float(f.perTerm)} * d.${sql.raw(
          `len_${f.field}`,
        )})`,
    ),
    sql` + `,
  );
  const part = sql`x.f * x.tf / (${float(params.k1)} + x.tf)`;
  const select = (condition: ReturnType<typeof sql>) => sql`select p.doc_id, d.doc_type, d.solved, q.f, ${tf} as tf
    from q cross join search_postings p join search_documents d on d.id = p.doc_id
    where p.community_id = ${communityId} and p.term = q.term and ${condition}`;
  const k = request.limit + (request.offset ?? 0);
  let ctes = sql``;
  let postings: ReturnType<typeof sql>;
  if (request.onlyDocs) postings = select(sql`p.doc_id in (${inList(request.onlyDocs)})`);
  else if (restricted.length === 0) postings = select(sql`q.term in (${inList(request.full)})`);
  else {
    const bound = terms.filter((t) => restricted.includes(t.term)).reduce((sum, t) => sum + weightOf(t), PRUNING_SLACK);
    const kept =
      request.order === "similar"
        ? sql`s as (select x.doc_id, sum(${part}) as partial from x where x.tf > 0 group by x.doc_id),
      kept as (select s.doc_id from s where s.partial + ${float(bound)} >= coalesce(
        (select t.partial from s t order by t.partial desc limit 1 offset ${k - 1}), 0))`
        : sql`kept as (select distinct x.doc_id from x)`;
    ctes = sql`, x as (${select(sql`q.term in (${inList(request.full)})`)}), ${kept}`;
    // PostgreSQL's planner would read a common word's postings in full and hash-join them: the
    // documents are given as an array, probed one by one on the primary key.
    const inKept =
      dialect === "postgres"
        ? sql`p.term in (${inList(restricted)}) and p.doc_id = any(array(select doc_id from kept))`
        : sql`p.doc_id in (select doc_id from kept)`;
    postings = sql`select * from x union all ${select(sql`q.term in (${inList(restricted)}) and ${inKept}`)}`;
  }
  const round = (value: ReturnType<typeof sql>) =>
    dialect === "postgres" ? sql`round(cast(${value} as numeric), 9)` : sql`round(${value}, 9)`;
  const sum = sql`sum(r.part)`;
  const boost = sql`(case when r.solved = 1 or r.doc_type = 'article'
    then ${float(request.solvedBoost ?? 1)} else ${float(1)} end)`;
  const score = request.order === "search" ? round(sql`${sum} * ${boost}`) : round(sum);
  const order =
    request.order === "search"
      ? sql`(count(*) = ${terms.length}) desc, (r.doc_type = 'article') desc, ${score} desc, r.doc_id desc`
      : sql`${score} desc, r.doc_id desc`;
  return sql<DocScore>`with q(i, term, f) as (values ${q})${ctes}
    select r.doc_id as "docId", r.doc_type as "docType", r.solved, ${score} as score, count(*) as matched
    from (select x.doc_id, x.doc_type, x.solved, ${part} as part
      from (${postings}) x where x.tf > 0) r
    group by r.doc_id, r.doc_type, r.solved
    order by ${order}
    limit ${request.limit} offset ${request.offset ?? 0}`;
}

/** Documents sharing the most of these title trigrams, best first (ties: newest first). */
export async function gramCandidates(db: Db, communityId: number, grams: string[], limit: number): Promise<number[]> {
  if (grams.length === 0) return [];
  const result = await gramQuery(communityId, grams, limit).execute(db);
  return result.rows.map((r) => Number(r.docId));
}

/** The query gramCandidates runs. */
export function gramQuery(communityId: number, grams: string[], limit: number) {
  return sql<{ docId: number }>`select doc_id as "docId" from search_postings
    where community_id = ${communityId} and term in (${inList(grams)})
    group by doc_id order by count(*) desc, doc_id desc limit ${limit}`;
}
