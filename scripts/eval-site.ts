/**
 * Whole-site, leave-one-out evaluation of similar questions (`npm run eval:similar -- --site DIR`).
 *
 * Every question of a Stack Exchange dump goes into one community through the product's own code
 * (createTopic, createReply for each answer, accept for the accepted one, indexTopic). Then each
 * query question is taken out of the index (removeFromIndex), asked through similarTopics() as its
 * title alone and as title + body, and put back. Two labelled sets:
 *   - duplicates: PostLinks LinkTypeId 3 (the closed copy asks, its originals are relevant);
 *   - related:    PostLinks LinkTypeId 1 (the linking question asks, the questions it links to are
 *                 relevant), larger and weaker.
 * Query bodies lose every link to the site and quoted "Possible duplicate" blocks: the anchor text
 * of such a link is usually the other question's title, which would leak the answer.
 *
 * Beside the product, a plain bm25 baseline is computed in the same run on the same texts: SQLite
 * FTS5 (porter tokenizer, default bm25 over title and body, every query word OR-ed), with the
 * same question left out. It does not depend on the engine under test.
 */
import path from "node:path";
import Database from "better-sqlite3";
import type { Actor, Deps } from "../src/core/deps.ts";
import { createCommunity } from "../src/communities/communities.service.ts";
import { communityAccess } from "../src/communities/communities.access.ts";
import { installRegistries } from "../src/app/registry.ts";
import { updateModerationSettings } from "../src/moderation/moderation.service.ts";
import { createReply, createTopic } from "../src/topics/topics.posting.ts";
import { accept } from "../src/topics/topics.reactions.ts";
import { indexTopic, removeFromIndex } from "../src/search/search.index.ts";
import { htmlToText, queryTerms } from "../src/search/search.text.ts";
import { similarTopics, type SimilarOptions } from "../src/search/similar.ts";
import { SEARCH_LIMITS } from "../src/search/search.schema.ts";
import { tagsOf, xmlRows } from "./stackexchange.ts";

// The product's own code runs here without the app: install what its use cases look up.
installRegistries();

interface SitePost {
  id: number;
  title: string;
  bodyHtml: string;
  tags: string[];
  acceptedAnswerId: number | null;
  answers: { id: number; bodyHtml: string }[];
}

export interface SiteQuery {
  id: number;
  relevant: number[];
}

export interface Site {
  name: string;
  questions: Map<number, SitePost>;
  duplicates: SiteQuery[];
  related: SiteQuery[];
}

export async function readSite(dir: string): Promise<Site> {
  const questions = new Map<number, SitePost>();
  const answers: { id: number; parent: number; bodyHtml: string }[] = [];
  for await (const row of xmlRows(path.join(dir, "Posts.xml.gz"))) {
    if (row.PostTypeId === "1")
      questions.set(Number(row.Id), {
        id: Number(row.Id),
        title: row.Title ?? "",
        bodyHtml: row.Body ?? "",
        tags: tagsOf(row.Tags),
        acceptedAnswerId: row.AcceptedAnswerId ? Number(row.AcceptedAnswerId) : null,
        answers: [],
      });
    else if (row.PostTypeId === "2")
      answers.push({ id: Number(row.Id), parent: Number(row.ParentId), bodyHtml: row.Body ?? "" });
  }
  for (const a of answers.sort((x, y) => x.id - y.id)) questions.get(a.parent)?.answers.push(a);
  const links = { "1": new Map<number, Set<number>>(), "3": new Map<number, Set<number>>() };
  for await (const row of xmlRows(path.join(dir, "PostLinks.xml.gz"))) {
    const map = links[row.LinkTypeId as "1" | "3"];
    const from = Number(row.PostId);
    const to = Number(row.RelatedPostId);
    if (!map || from === to || !questions.has(from) || !questions.has(to)) continue;
    if (!map.has(from)) map.set(from, new Set());
    map.get(from)!.add(to);
  }
  const asQueries = (map: Map<number, Set<number>>) =>
    [...map].sort((a, b) => a[0] - b[0]).map(([id, to]) => ({ id, relevant: [...to].sort((a, b) => a - b) }));
  return {
    name: path.basename(dir).replace(/\.com$/, ""),
    questions,
    duplicates: asQueries(links["3"]),
    related: asQueries(links["1"]),
  };
}

/** A question's body as a query: links into the site (their text is often the other title) and quoted duplicate notices removed. */
export function queryBodyText(html: string): string {
  const body = html
    .replace(
      /<blockquote>(?:(?!<\/blockquote>)[\s\S])*?(possible duplicate|already has an answer|exact duplicate)[\s\S]*?<\/blockquote>/gi,
      " ",
    )
    .replace(/<p>\s*<strong>\s*Possible Duplicate:?[\s\S]*?<\/p>/gi, " ")
    .replace(/<a [^>]*href="[^"]*stackexchange\.com\/(?:questions|q|a)\/[^"]*"[^>]*>[\s\S]*?<\/a>/gi, " ")
    .replace(/https?:\/\/\S*stackexchange\.com\/(?:questions|q|a)\/\S*/gi, " ");
  return htmlToText(body);
}

const TAG = /^[a-z0-9][a-z0-9+#.-]*$/;
const fitTitle = (title: string) => (title.length >= 8 ? title : `${title} (question)`).slice(0, 200);

/** Loads every question (and its answers) into a fresh community; returns topic id <-> post id. */
export async function loadSite(
  deps: Deps,
  actor: Actor,
  slug: string,
  site: Site,
): Promise<{ topicOf: Map<number, number>; postOf: Map<number, number> }> {
  await createCommunity(deps, actor, {
    slug,
    name: `Eval ${site.name}`,
    visibility: "public",
    description: "",
    locale: "en",
  });
  const access = await communityAccess(deps, { slug: slug }, actor);
  // A whole site posted by one account in a minute: no per-hour limits, no spam heuristics.
  await updateModerationSettings(deps, access, {
    topicsPerHour: 0,
    repliesPerHour: 0,
    spam: { maxLinks: 100, repeatLimit: 100, blockedPhrases: [] },
  });
  const topicOf = new Map<number, number>();
  const postOf = new Map<number, number>();
  for (const q of [...site.questions.values()].sort((a, b) => a.id - b.id)) {
    const tags = q.tags.filter((t) => TAG.test(t) && t.length <= 30).slice(0, 5);
    const topic = await createTopic(deps, access, {
      kind: "question",
      title: fitTitle(q.title),
      body: (htmlToText(q.bodyHtml) || q.title).slice(0, 50_000),
      tags,
    });
    for (const a of q.answers) {
      const text = htmlToText(a.bodyHtml).slice(0, 50_000);
      if (!text) continue;
      const reply = await createReply(deps, topic.id, actor, text);
      if (a.id === q.acceptedAnswerId) await accept(deps, topic.id, actor, reply.id);
    }
    await indexTopic(deps, topic.id);
    topicOf.set(q.id, topic.id);
    postOf.set(topic.id, q.id);
  }
  return { topicOf, postOf };
}

export interface RetrievalMetrics {
  queries: number;
  mrr: number;
  p1: number;
  r5: number;
  r10: number;
}

/** Mean reciprocal rank of the first relevant item, precision at 1, recall at 5 and 10. */
export function retrievalMetrics(rankings: { ranked: number[]; relevant: number[] }[]): RetrievalMetrics {
  const sum = { mrr: 0, p1: 0, r5: 0, r10: 0 };
  for (const { ranked, relevant } of rankings) {
    const rel = new Set(relevant);
    const first = ranked.findIndex((id) => rel.has(id));
    sum.mrr += first >= 0 ? 1 / (first + 1) : 0;
    sum.p1 += first === 0 ? 1 : 0;
    sum.r5 += ranked.slice(0, 5).filter((id) => rel.has(id)).length / rel.size;
    sum.r10 += ranked.slice(0, 10).filter((id) => rel.has(id)).length / rel.size;
  }
  const n = rankings.length || 1;
  return { queries: rankings.length, mrr: sum.mrr / n, p1: sum.p1 / n, r5: sum.r5 / n, r10: sum.r10 / n };
}

export type QueryMode = "title" | "title+body";

export function queryOf(site: Site, id: number, mode: QueryMode): { title: string; body: string } {
  const q = site.questions.get(id)!;
  return { title: q.title, body: mode === "title" ? "" : queryBodyText(q.bodyHtml).slice(0, 5_000) };
}

/** The product: each query asked with its own topic out of the index. */
export async function productRankings(
  deps: Deps,
  actor: Actor,
  slug: string,
  site: Site,
  loaded: { topicOf: Map<number, number>; postOf: Map<number, number> },
  queries: SiteQuery[],
  mode: QueryMode,
  options: SimilarOptions = {},
  timings?: { cold: number[]; warm: number[] },
): Promise<{ ranked: number[]; relevant: number[] }[]> {
  const access = await communityAccess(deps, { slug: slug }, actor);
  const rankings = [];
  for (const query of queries) {
    const topicId = loaded.topicOf.get(query.id)!;
    await removeFromIndex(deps, topicId);
    try {
      const ask = (limit: number) =>
        similarTopics(deps, access, { ...queryOf(site, query.id, mode), limit }, { limitMax: 50, ...options });
      const timed = async (times: number[]) => {
        const started = performance.now();
        await ask(SEARCH_LIMITS.similarDefault);
        times.push(performance.now() - started);
      };
      // Timed as the new-topic form asks (5 results): first right after the index changed (the
      // copy in memory catches up, search.memory.ts), then again (warm: a member typing on).
      if (timings) await timed(timings.cold);
      const items = await ask(50);
      if (timings) await timed(timings.warm);
      rankings.push({
        ranked: items.flatMap((item) => (item.topic ? [loaded.postOf.get(item.topic.id)!] : [])),
        relevant: query.relevant,
      });
    } finally {
      await indexTopic(deps, topicId);
    }
  }
  return rankings;
}

/**
 * The first `count` questions (by id) in neither labelled set, as queries without relevant
 * answers: asked before anything is timed (productRankings with timings of their own). A server
 * that answers members has already run the ranking code and used its database connections; a
 * process that has not pays for that once (V8 compiling the ranking, each PostgreSQL connection
 * loading its catalog caches, 30-60 ms a query on PostgreSQL for the first few), and without this
 * that start landed in the first timed set's p95. The warm-up's own times are printed apart.
 */
export function warmUpQueries(site: Site, count: number): SiteQuery[] {
  const labelled = new Set([...site.duplicates, ...site.related].map((q) => q.id));
  return [...site.questions.keys()]
    .filter((id) => !labelled.has(id))
    .sort((a, b) => a - b)
    .slice(0, count)
    .map((id) => ({ id, relevant: [] }));
}

/** Plain FTS5 bm25 over title and body (porter), every query word OR-ed, the query's own question left out. */
export function baselineRankings(
  site: Site,
  queries: SiteQuery[],
  mode: QueryMode,
): { ranked: number[]; relevant: number[] }[] {
  const db = new Database(":memory:");
  db.exec("create virtual table docs using fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')");
  const insert = db.prepare("insert into docs (rowid, title, body) values (?, ?, ?)");
  const texts = new Map<number, [string, string]>();
  for (const q of site.questions.values()) {
    const text: [string, string] = [q.title, htmlToText(q.bodyHtml)];
    texts.set(q.id, text);
    insert.run(q.id, ...text);
  }
  const remove = db.prepare("delete from docs where rowid = ?");
  const search = db.prepare("select rowid as id from docs where docs match ? order by bm25(docs), rowid limit 50");
  const rankings = [];
  for (const query of queries) {
    const { title, body } = queryOf(site, query.id, mode);
    const terms = queryTerms(`${title}\n${body}`, "en", 400);
    remove.run(query.id);
    const ranked = terms.length
      ? (search.all(terms.map((t) => `"${t}"`).join(" OR ")) as { id: number }[]).map((r) => r.id)
      : [];
    insert.run(query.id, ...texts.get(query.id)!);
    rankings.push({ ranked, relevant: query.relevant });
  }
  db.close();
  return rankings;
}

export const formatMetrics = (m: RetrievalMetrics) =>
  [m.mrr, m.p1, m.r5, m.r10].map((n) => n.toFixed(3).padStart(6)).join(" ");

/**
 * Tuning: every variant of the ranking on the same leave-one-out queries (each query's topic is
 * taken out once for all variants). Returns MRR per variant, per set and query mode.
 */
export async function tuneRankings(
  deps: Deps,
  actor: Actor,
  slug: string,
  site: Site,
  loaded: { topicOf: Map<number, number>; postOf: Map<number, number> },
  variants: [string, SimilarOptions][],
): Promise<Map<string, Record<string, RetrievalMetrics>>> {
  const access = await communityAccess(deps, { slug: slug }, actor);
  const rankings = new Map<string, Record<string, { ranked: number[]; relevant: number[] }[]>>();
  for (const [name] of variants) rankings.set(name, {});
  const queries = [
    ...site.duplicates.map((q) => ({ ...q, set: "duplicates" })),
    ...site.related.map((q) => ({ ...q, set: "related" })),
  ];
  for (const query of queries) {
    const topicId = loaded.topicOf.get(query.id)!;
    await removeFromIndex(deps, topicId);
    try {
      for (const mode of ["title", "title+body"] as const)
        for (const [name, options] of variants) {
          const items = await similarTopics(
            deps,
            access,
            { ...queryOf(site, query.id, mode), limit: 50 },
            { limitMax: 50, ...options },
          );
          const key = `${query.set} ${mode}`;
          const byKey = rankings.get(name)!;
          if (!byKey[key]) byKey[key] = [];
          byKey[key].push({
            ranked: items.flatMap((item) => (item.topic ? [loaded.postOf.get(item.topic.id)!] : [])),
            relevant: query.relevant,
          });
        }
    } finally {
      await indexTopic(deps, topicId);
    }
  }
  const out = new Map<string, Record<string, RetrievalMetrics>>();
  for (const [name, byKey] of rankings)
    out.set(name, Object.fromEntries(Object.entries(byKey).map(([k, v]) => [k, retrievalMetrics(v)])));
  return out;
}
