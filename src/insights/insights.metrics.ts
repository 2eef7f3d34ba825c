import type { TopicKind } from "../db/schema.ts";
import { SOLVABLE_KINDS } from "../topics/index.ts";
import { analyze, type SearchLocale } from "../search/index.ts";
import type { TopicRow } from "./insights.queries.ts";

/**
 * The definitions, as pure functions over the rows the queries load. "Questions" are the kinds
 * that can be solved (questions and problems). An "answer" is a visible reply by someone other
 * than the asker. Rates are 0..1, or null when nothing was there to divide by.
 */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface TopicFigures {
  topics: number;
  topicsByKind: Record<TopicKind, number>;
  questions: number;
  answered: number;
  answerRate: number | null;
  unanswered: number;
  firstResponseMedianMinutes: number | null;
  solved: number;
  solvedRate: number | null;
  abandoned: number;
  escalated: number;
  escalationRate: number | null;
  routedQuestions: number;
  /** Of the routed questions, the share a routed expert answered. */
  routedAnswerShare: number | null;
}

const isQuestion = (t: TopicRow) => SOLVABLE_KINDS.includes(t.kind);

export function topicFigures(rows: readonly TopicRow[]): TopicFigures {
  const topicsByKind: Record<TopicKind, number> = { question: 0, problem: 0, idea: 0, praise: 0 };
  for (const t of rows) topicsByKind[t.kind] += 1;
  const questions = rows.filter(isQuestion);
  const answered = questions.filter((q) => q.firstAnswerAt !== null);
  const solved = questions.filter((q) => q.solved).length;
  const escalated = questions.filter((q) => q.escalated).length;
  const routed = questions.filter((q) => q.routed);
  const firstResponses = answered.map((q) => ((q.firstAnswerAt as number) - q.createdAt) / 60_000);
  return {
    topics: rows.length,
    topicsByKind,
    questions: questions.length,
    answered: answered.length,
    answerRate: rate(answered.length, questions.length),
    unanswered: questions.filter((q) => q.firstAnswerAt === null && !q.solved && !q.abandoned).length,
    firstResponseMedianMinutes: median(firstResponses),
    solved,
    solvedRate: rate(solved, questions.length),
    abandoned: questions.filter((q) => q.abandoned).length,
    escalated,
    escalationRate: rate(escalated, questions.length),
    routedQuestions: routed.length,
    routedAnswerShare: rate(routed.filter((q) => q.answeredByRouted).length, routed.length),
  };
}

export interface Trend {
  type: "tag" | "word";
  term: string;
  current: number;
  previous: number;
  change: number;
}

/** Topics per tag and per title word (counted once per topic; a word by its stem, shown as first written). */
function volumes(rows: readonly TopicRow[], locale: SearchLocale) {
  const tags = new Map<string, number>();
  const words = new Map<string, { label: string; n: number }>();
  for (const row of rows) {
    for (const tag of new Set(JSON.parse(row.tags) as string[])) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    const seen = new Set<string>();
    for (const word of row.title.toLowerCase().match(/\p{L}[\p{L}\p{N}]{2,}/gu) ?? []) {
      const stem = analyze(word, locale, false)[0];
      if (!stem || seen.has(stem)) continue;
      seen.add(stem);
      const entry = words.get(stem) ?? { label: word, n: 0 };
      entry.n += 1;
      words.set(stem, entry);
    }
  }
  return { tags, words };
}

const byRise = (a: Trend, b: Trend) => b.change - a.change || b.current - a.current || a.term.localeCompare(b.term);

/**
 * Tags and title words whose topic count rose most against the previous period of the same
 * length: at most `limit` of each, tags first.
 */
export function trending(
  current: readonly TopicRow[],
  previous: readonly TopicRow[],
  locale: SearchLocale,
  limit: number,
): Trend[] {
  const now = volumes(current, locale);
  const before = volumes(previous, locale);
  const tags: Trend[] = [...now.tags].map(([tag, n]) => {
    const was = before.tags.get(tag) ?? 0;
    return { type: "tag", term: tag, current: n, previous: was, change: n - was };
  });
  const words: Trend[] = [...now.words].map(([stem, { label, n }]) => {
    const was = before.words.get(stem)?.n ?? 0;
    return { type: "word", term: label, current: n, previous: was, change: n - was };
  });
  const top = (list: Trend[]) =>
    list
      .filter((t) => t.change > 0)
      .sort(byRise)
      .slice(0, limit);
  return [...top(tags), ...top(words)];
}
