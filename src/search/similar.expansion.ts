import type { Db } from "../db/database.ts";
import { idf, type CorpusStats, type QueryTerm } from "./search.bm25.ts";
import { analyze, type SearchLocale } from "./search.text.ts";

export interface FeedbackDoc {
  title: string;
  tags: string[];
  score: number;
}

export async function tagsOfTopics(db: Db, ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom("topicTags").select(["topicId", "tag"]).where("topicId", "in", ids).execute();
  for (const r of rows) out.set(Number(r.topicId), [...(out.get(Number(r.topicId)) ?? []), r.tag]);
  return out;
}

/** Candidate expansion words: each document's share of its title/tag words, weighted by its first-pass score. */
export function feedbackWeights(docs: FeedbackDoc[], query: Set<string>, locale: SearchLocale, tags: boolean) {
  const total = docs.reduce((s, d) => s + d.score, 0);
  const weights = new Map<string, number>();
  if (total <= 0) return weights;
  for (const d of docs) {
    const words = [...analyze(d.title, locale), ...(tags ? d.tags.flatMap((t) => analyze(t, locale)) : [])];
    const unique = new Set(words);
    for (const w of unique) {
      if (query.has(w)) continue;
      weights.set(w, (weights.get(w) ?? 0) + ((d.score / total) * words.filter((x) => x === w).length) / words.length);
    }
  }
  return weights;
}

export function expansionTerms(
  weights: Map<string, number>,
  stats: CorpusStats,
  count: number,
  weight: number,
  useIdf: boolean,
): QueryTerm[] {
  const scored = [...weights]
    .filter(([t]) => stats.df.has(t))
    .map(([term, w]) => ({ term, w: w * (useIdf ? idf(stats.df.get(term)!, stats.docs) : 1) }))
    .sort((a, b) => b.w - a.w || (a.term < b.term ? -1 : 1))
    .slice(0, count);
  const top = scored[0]?.w ?? 0;
  return scored.map(({ term, w }) => ({ term, weight: (weight * w) / top }));
}

/** Words that share titles with the query's words across the community. */
export async function cooccurrenceWeights(
  db: Db,
  communityId: number,
  locale: SearchLocale,
  query: string[],
  mode: string,
  minCount: number,
): Promise<Map<string, number>> {
  const rows = await db.selectFrom("searchDocuments").select("title").where("communityId", "=", communityId).execute();
  const docs = rows.map((r) => new Set(analyze(r.title, locale)));
  const n = new Map<string, number>();
  for (const d of docs) for (const w of d) n.set(w, (n.get(w) ?? 0) + 1);
  const qset = new Set(query);
  const out = new Map<string, number>();
  for (const q of query) {
    const nq = n.get(q) ?? 0;
    if (nq === 0) continue;
    const co = new Map<string, number>();
    for (const d of docs) if (d.has(q)) for (const w of d) if (!qset.has(w)) co.set(w, (co.get(w) ?? 0) + 1);
    for (const [w, c] of co) {
      if (c < minCount) continue;
      const cond = c / nq;
      const lift = (c * docs.length) / (nq * n.get(w)!);
      const s = mode === "lift" ? cond * Math.log(lift) : cond;
      if (s > 0) out.set(w, (out.get(w) ?? 0) + s / query.length);
    }
  }
  return out;
}
