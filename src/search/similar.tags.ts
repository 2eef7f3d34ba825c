import type { Db } from "../db/database.ts";

/** A first-pass candidate: its topic (if any) and its combined score. */
export interface Voter {
  topicId: number | null;
  docId: number;
  score: number;
}

/**
 * Tags predicted for the question from the best first-pass candidates (each votes for its tags
 * with its score), and each candidate's agreement with them, leaving its own vote out.
 */
export async function tagAgreement(db: Db, first: Voter[], all: Voter[], voters: number): Promise<Map<number, number>> {
  const ids = [...new Set(all.map((v) => v.topicId).filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("topicTags").select(["topicId", "tag"]).where("topicId", "in", ids).execute();
  const tagsOf = new Map<number, string[]>();
  for (const r of rows) tagsOf.set(Number(r.topicId), [...(tagsOf.get(Number(r.topicId)) ?? []), r.tag]);
  const mode = process.env.TAGV_MODE ?? "mean";
  const top = first.slice(0, voters + 1);
  const out = new Map<number, number>();
  for (const c of all) {
    const mine = c.topicId === null ? [] : (tagsOf.get(c.topicId) ?? []);
    if (mine.length === 0) continue;
    const others = top.filter((v) => v.docId !== c.docId).slice(0, voters);
    const total = others.reduce((s, v) => s + v.score, 0);
    if (total <= 0) continue;
    const vote = (tag: string) =>
      others.reduce((s, v) => s + (v.topicId !== null && tagsOf.get(v.topicId)?.includes(tag) ? v.score : 0), 0) / total;
    const votes = mine.map(vote);
    const agreement =
      mode === "max"
        ? Math.max(...votes)
        : mode === "sqrt"
          ? votes.reduce((a, b) => a + b, 0) / Math.sqrt(mine.length)
          : votes.reduce((a, b) => a + b, 0) / mine.length;
    out.set(c.docId, agreement);
  }
  return out;
}

/** Tags predicted from the query's title words: P(tag | word) over the community's titles, averaged. */
export async function predictedTagAgreement(
  db: Db,
  communityId: number,
  locale: import("./search.text.ts").SearchLocale,
  query: string[],
  all: Voter[],
  mode: string,
): Promise<Map<number, number>> {
  const { analyze } = await import("./search.text.ts");
  const docs = await db.selectFrom("searchDocuments").select(["title", "topicId"]).where("communityId", "=", communityId).execute();
  const tagRows = await db.selectFrom("topicTags").select(["topicId", "tag"]).where("communityId", "=", communityId).execute();
  const tagsOf = new Map<number, string[]>();
  for (const r of tagRows) tagsOf.set(Number(r.topicId), [...(tagsOf.get(Number(r.topicId)) ?? []), r.tag]);
  const pred = new Map<string, number>();
  const N = docs.length;
  const tagN = new Map<string, number>();
  for (const d of docs) for (const t of tagsOf.get(Number(d.topicId)) ?? []) tagN.set(t, (tagN.get(t) ?? 0) + 1);
  let used = 0;
  for (const q of query) {
    const holding = docs.filter((d) => analyze(d.title, locale).includes(q));
    if (holding.length === 0) continue;
    used++;
    const counts = new Map<string, number>();
    for (const d of holding) for (const t of tagsOf.get(Number(d.topicId)) ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [t, c] of counts) {
      const p = c / holding.length;
      const v = mode === "lift" ? p * Math.max(0, Math.log((p * N) / tagN.get(t)!)) : p;
      pred.set(t, (pred.get(t) ?? 0) + v);
    }
  }
  const out = new Map<number, number>();
  if (used === 0) return out;
  for (const c of all) {
    const mine = c.topicId === null ? [] : (tagsOf.get(c.topicId) ?? []);
    if (mine.length === 0) continue;
    out.set(c.docId, mine.reduce((s, t) => s + (pred.get(t) ?? 0), 0) / used / mine.length);
  }
  return out;
}
