import type { TopicKind } from "../db/schema.ts";
import { SOLVABLE_KINDS, firstAnswerWait } from "../topics/index.ts";
import { analyze, type SearchLocale } from "../search/index.ts";
import type { TopicRow } from "./insights.queries.ts";

/**
 * The definitions, as pure functions. "Questions" are the kinds that can be solved (questions and
 * problems). An "answer" is a visible reply by someone other than the asker. Rates are 0..1, or
 * null when nothing was there to divide by. Every figure is made of additive counts (kept per day
 * by the rollups) and first-response times (kept one per question, so the median stays exact).
 */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** What topics created on some days, and answers posted on them, add up to. */
export interface TopicCounts extends Record<TopicKind, number> {
  /** Questions with an answer. */
  answered: number;
  /** Open questions (not solved, not abandoned) without an answer. */
  unanswered: number;
  solved: number;
  abandoned: number;
  escalated: number;
  routed: number;
  /** Routed questions a routed expert answered. */
  answeredByRouted: number;
  /** Answers posted as official (staff) replies, and the others. */
  staffAnswers: number;
  memberAnswers: number;
}

export const TOPIC_COUNTS: readonly (keyof TopicCounts)[] = [
  "question",
  "problem",
  "idea",
  "praise",
  "answered",
  "unanswered",
  "solved",
  "abandoned",
  "escalated",
  "routed",
  "answeredByRouted",
  "staffAnswers",
  "memberAnswers",
];

export const noTopicCounts = (): TopicCounts => ({
  question: 0,
  problem: 0,
  idea: 0,
  praise: 0,
  answered: 0,
  unanswered: 0,
  solved: 0,
  abandoned: 0,
  escalated: 0,
  routed: 0,
  answeredByRouted: 0,
  staffAnswers: 0,
  memberAnswers: 0,
});

export function addCounts<T extends object>(into: T, from: T, keys: readonly (keyof T)[]): T {
  for (const key of keys) (into[key] as number) += from[key] as number;
  return into;
}

const isQuestion = (t: Pick<TopicRow, "kind">) => SOLVABLE_KINDS.includes(t.kind);

/** Adds one topic to the counts of its day and category. */
export function countTopic(counts: TopicCounts, t: TopicRow): void {
  counts[t.kind] += 1;
  if (!isQuestion(t)) return;
  const answered = t.firstAnswerAt !== null;
  if (answered) counts.answered += 1;
  if (!answered && !t.solved && !t.abandoned) counts.unanswered += 1;
  if (t.solved) counts.solved += 1;
  // Solved wins over abandoned, as in the topic's status: a solution accepted later is not also abandoned.
  else if (t.abandoned) counts.abandoned += 1;
  if (t.escalated) counts.escalated += 1;
  if (t.routed) counts.routed += 1;
  if (t.routed && t.answeredByRouted) counts.answeredByRouted += 1;
}

/** How long a question waited for its first answer, in ms (firstAnswerWait); null while it has none. */
export const firstResponseMs = (t: TopicRow): number | null =>
  isQuestion(t) ? firstAnswerWait(t.createdAt, t.firstAnswerAt) : null;

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

export function topicFigures(c: TopicCounts, responsesMs: readonly number[]): TopicFigures {
  const questions = c.question + c.problem;
  return {
    topics: c.question + c.problem + c.idea + c.praise,
    topicsByKind: { question: c.question, problem: c.problem, idea: c.idea, praise: c.praise },
    questions,
    answered: c.answered,
    answerRate: rate(c.answered, questions),
    unanswered: c.unanswered,
    firstResponseMedianMinutes: median(responsesMs.map((ms) => ms / 60_000)),
    solved: c.solved,
    solvedRate: rate(c.solved, questions),
    abandoned: c.abandoned,
    escalated: c.escalated,
    escalationRate: rate(c.escalated, questions),
    routedQuestions: c.routed,
    routedAnswerShare: rate(c.answeredByRouted, c.routed),
  };
}

/** Of all answers, the share posted by members rather than staff (official replies). */
export const communityAnswerShare = (c: Pick<TopicCounts, "staffAnswers" | "memberAnswers">) =>
  rate(c.memberAnswers, c.memberAnswers + c.staffAnswers);

/** A tag, or a title word by its stem (`term`) as written (`label`). */
export interface Term {
  type: "tag" | "word";
  term: string;
  label: string;
}

/** The tags and title words of a topic, each once. */
export function topicTerms(row: Pick<TopicRow, "tags" | "title">, locale: SearchLocale): Term[] {
  const terms: Term[] = [...new Set(JSON.parse(row.tags) as string[])].map((tag) => ({
    type: "tag",
    term: tag,
    label: tag,
  }));
  const seen = new Set<string>();
  for (const word of row.title.toLowerCase().match(/\p{L}[\p{L}\p{N}]{2,}/gu) ?? []) {
    const stem = analyze(word, locale, false)[0];
    if (!stem || seen.has(stem)) continue;
    seen.add(stem);
    terms.push({ type: "word", term: stem, label: word });
  }
  return terms;
}

/** Topics with a term in the range and in the period before it; the label is the range's first written one. */
export interface TermVolume extends Term {
  current: number;
  previous: number;
  /** When the range's first topic with the term was posted (the label's), null if none. */
  firstAt: number | null;
}

export interface Trend {
  type: "tag" | "word";
  term: string;
  current: number;
  previous: number;
  change: number;
}

const byRise = (a: Trend, b: Trend) => b.change - a.change || b.current - a.current || a.term.localeCompare(b.term);

/**
 * Tags and title words whose topic count rose most against the previous period of the same
 * length: at most `limit` of each, tags first.
 */
export function trending(volumes: Iterable<TermVolume>, limit: number): Trend[] {
  const rising = { tag: [] as Trend[], word: [] as Trend[] };
  for (const v of volumes) {
    const change = v.current - v.previous;
    if (v.current > 0 && change > 0)
      rising[v.type].push({ type: v.type, term: v.label, current: v.current, previous: v.previous, change });
  }
  const top = (list: Trend[]) => list.sort(byRise).slice(0, limit);
  return [...top(rising.tag), ...top(rising.word)];
}
