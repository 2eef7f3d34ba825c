import { lightStem, queryTerms, searchLocale } from "../search/index.ts";

/**
 * The expertise model, as pure functions shared by the product (expertise.service.ts keeps one
 * profile per member in the database) and by `npm run eval:routing`, which replays a history.
 *
 * A member's profile maps keys ("tag:wifi", "cat:3", "word:router") to a score: the sum over their
 * answers in topics carrying the key of the answer's weight (more when accepted or upvoted), decayed
 * by the answer's age (half-life EXPERTISE.halfLifeDays). Decay is exponential, so a profile stored
 * as of one time is still exact later: multiply every score by decay(elapsed).
 */
export const EXPERTISE = {
  halfLifeDays: 30,
  /** Any answer counts (recent activity in the subject)... */
  answer: 1,
  /** ...an accepted one much more... */
  accepted: 3,
  /** ...and each net upvote a little, up to a cap; downvotes lower the weight to no less than `floor`. */
  perVote: 0.5,
  voteCap: 10,
  floor: 0.25,
  /** Title words per question that take part (after stop words). */
  wordsMax: 8,
} as const;

/** How much each kind of key counts when matching a question; words are also divided by sqrt(word count). */
const KEY_WEIGHTS = { tag: 1, cat: 0.5, word: 0.6 } as const;

const DAY_MS = 86_400_000;

export function decay(elapsedMs: number): number {
  return 2 ** (-Math.max(0, elapsedMs) / (EXPERTISE.halfLifeDays * DAY_MS));
}

export interface AnswerFact {
  createdAt: number;
  score: number;
  accepted: boolean;
  /** Keys of the topic the answer belongs to (topicKeys). */
  keys: string[];
}

export function answerWeight(answer: Pick<AnswerFact, "score" | "accepted">): number {
  const votes = Math.max(-2, Math.min(EXPERTISE.voteCap, answer.score)) * EXPERTISE.perVote;
  return Math.max(EXPERTISE.floor, EXPERTISE.answer + votes + (answer.accepted ? EXPERTISE.accepted : 0));
}

/** A member's expertise per key as of `asOf`, from their answers. */
export function buildProfile(answers: AnswerFact[], asOf: number): Map<string, number> {
  const profile = new Map<string, number>();
  for (const answer of answers) {
    const weight = answerWeight(answer) * decay(asOf - answer.createdAt);
    for (const key of answer.keys) profile.set(key, (profile.get(key) ?? 0) + weight);
  }
  return profile;
}

function wordStem(word: string, locale: ReturnType<typeof searchLocale>): string {
  if (locale !== "en") return lightStem(word, locale);
  return word.length > 4 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

/** What a topic is about, as expertise keys: its tags, its category and the main words of its title. */
export function topicKeys(
  topic: { tags: string[]; categoryId: number | null; title: string },
  locale?: string,
): string[] {
  const lang = searchLocale(locale);
  const words = queryTerms(topic.title, lang, EXPERTISE.wordsMax)
    .filter((w) => w.length >= 3 && !/^\d+$/.test(w))
    .map((w) => `word:${wordStem(w, lang)}`);
  const keys = [
    ...topic.tags.map((t) => `tag:${t}`),
    ...(topic.categoryId !== null ? [`cat:${topic.categoryId}`] : []),
    ...words,
  ];
  return [...new Set(keys)];
}

export interface ExpertiseEntry {
  userId: number;
  key: string;
  score: number;
  asOf: number;
}

function keyWeight(key: string, wordCount: number): number {
  if (key.startsWith("tag:")) return KEY_WEIGHTS.tag;
  if (key.startsWith("cat:")) return KEY_WEIGHTS.cat;
  return KEY_WEIGHTS.word / Math.sqrt(Math.max(1, wordCount));
}

/** Members ranked by their expertise for a question's keys at `now`, best first (ties: lower id first). */
export function rankExperts(
  questionKeys: string[],
  entries: ExpertiseEntry[],
  now: number,
): { userId: number; score: number }[] {
  const wanted = new Set(questionKeys);
  const wordCount = questionKeys.filter((k) => k.startsWith("word:")).length;
  const totals = new Map<number, number>();
  for (const e of entries) {
    if (!wanted.has(e.key)) continue;
    totals.set(e.userId, (totals.get(e.userId) ?? 0) + keyWeight(e.key, wordCount) * e.score * decay(now - e.asOf));
  }
  return [...totals]
    .map(([userId, score]) => ({ userId, score }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.userId - b.userId);
}
