import { analyze, queryTermsOf, searchLocale } from "../search/index.ts";
import { DAY_MS } from "../lib/durations.ts";

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
  /** An answer's weight halves in this time (eval:routing: 15 beat 30, 90 and 180 days). */
  halfLifeDays: 15,
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
  /** Words of the question's body that take part too (the most frequent ones). */
  bodyWordsMax: 8,
  /** Words of an answer's own text a member is credited with (the most frequent ones). */
  answerWordsMax: 20,
  /**
   * A member's weight halves for each this many days since their last post in the community,
   * counted after a grace period (recency-weighted instead of a hard 30-day cut-off).
   */
  activityHalfLifeDays: 15,
  activityGraceDays: 3,
  /** A valid academy certification counts like this many accepted answers in the keys its course covers. */
  certification: 2,
  /**
   * Answerers of the `neighbours` earlier questions most like the new one are credited (similarAnswerers), among
   * the `neighbourPool` latest answered questions; an accepted answerer counts `neighbourAccepted` times, and a
   * question's similarity halves every `neighbourHalfLifeDays` of its age. The best credited member gets
   * `neighbourWeight` x the best expertise (eval:routing: 50 neighbours, 7 days and 0.2 beat 3 to 30, 15 to 60 days
   * or none, 0.05 to 1).
   */
  neighbours: 50,
  neighbourPool: 1000,
  neighbourAccepted: 2,
  neighbourHalfLifeDays: 7,
  neighbourWeight: 0.2,
} as const;

/** How much each kind of key counts when matching a question; words are also divided by sqrt(word count). */
export const KEY_WEIGHTS = { tag: 1, cat: 0.5, word: 0.6 } as const;

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

/**
 * The most frequent terms of a text of three letters or more, not numbers (ties: first seen), stemmed as the search
 * index does.
 */
function frequentWords(text: string, locale: ReturnType<typeof searchLocale>, max: number): string[] {
  const counts = new Map<string, number>();
  for (const term of analyze(text.slice(0, 20_000), locale, false))
    if (term.length >= 3 && !/^\d+$/.test(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([word]) => word);
}

/**
 * What a topic is about, as expertise keys: its tags, its category, the main words of its title
 * and the most frequent words of its body (stemmed as the search index does).
 */
export function topicKeys(
  topic: { tags: string[]; categoryId: number | null; title: string; body?: string },
  locale?: string,
): string[] {
  const lang = searchLocale(locale);
  const words = queryTermsOf(topic.title, lang, EXPERTISE.wordsMax * 2)
    .filter((w) => w.length >= 3 && !/^\d+$/.test(w))
    .slice(0, EXPERTISE.wordsMax);
  const body = topic.body ? frequentWords(topic.body, lang, EXPERTISE.bodyWordsMax) : [];
  const keys = [
    ...topic.tags.map((t) => `tag:${t}`),
    ...(topic.categoryId !== null ? [`cat:${topic.categoryId}`] : []),
    ...[...words, ...body].map((w) => `word:${w}`),
  ];
  return [...new Set(keys)];
}

/** The words of what a member wrote in an answer: expertise shows in the text of good answers, not only in tags. */
export function answerKeys(text: string, locale?: string): string[] {
  return frequentWords(text, searchLocale(locale), EXPERTISE.answerWordsMax).map((w) => `word:${w}`);
}

/** A member's weight by recency of their last post: 1 within the grace period, then halving every half-life. */
export function activityWeight(sinceLastPostMs: number): number {
  const days = sinceLastPostMs / DAY_MS - EXPERTISE.activityGraceDays;
  return days <= 0 ? 1 : 2 ** (-days / EXPERTISE.activityHalfLifeDays);
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

export interface RankOptions {
  /** Each member's last post in the community: their score is weighted by activityWeight. */
  lastPostAt?: Map<number, number>;
  /** Keys each member's valid certifications cover (certificationKeys). */
  certified?: Map<number, string[]>;
  /** Credit for answering earlier questions like this one (similarAnswerers). */
  neighbours?: Map<number, number>;
}

/** An earlier answered question: its keys (topicKeys), when it was asked and who answered it (not its asker). */
export interface EarlierQuestion {
  keys: string[];
  createdAt: number;
  answerers: { userId: number; accepted: boolean }[];
}

/**
 * Who answered the earlier questions most like this one (issue #17): the `EXPERTISE.neighbours`
 * questions whose keys are nearest by cosine (each key weighted by its kind and its rarity among
 * the questions, ln(1 + questions / holding)), recent ones first (the similarity halves every
 * `neighbourHalfLifeDays`), and each of their answerers credited with the similarity, an accepted
 * answerer `neighbourAccepted` times. Several keys must match at once, which per-key expertise
 * cannot tell.
 */
export function similarAnswerers(questionKeys: string[], earlier: EarlierQuestion[], now: number): Map<number, number> {
  const df = new Map<string, number>();
  for (const q of earlier) for (const key of q.keys) df.set(key, (df.get(key) ?? 0) + 1);
  const weigh = (keys: string[]) => {
    const words = keys.filter((k) => k.startsWith("word:")).length;
    return new Map(keys.map((k) => [k, keyWeight(k, words) * Math.log(1 + earlier.length / (df.get(k) ?? 1))]));
  };
  const norm = (weights: Map<string, number>) => Math.sqrt([...weights.values()].reduce((sum, w) => sum + w * w, 0));
  const query = weigh(questionKeys);
  const queryNorm = norm(query);
  const nearest = earlier
    .map((q) => {
      const weights = weigh(q.keys);
      let dot = 0;
      for (const [key, w] of weights) dot += w * (query.get(key) ?? 0);
      const age = 2 ** (-Math.max(0, now - q.createdAt) / (EXPERTISE.neighbourHalfLifeDays * DAY_MS));
      return { q, similarity: dot > 0 ? (age * dot) / (queryNorm * norm(weights)) : 0 };
    })
    .filter((n) => n.similarity > 0)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, EXPERTISE.neighbours);
  const credit = new Map<number, number>();
  for (const { q, similarity } of nearest)
    for (const a of q.answerers)
      credit.set(a.userId, (credit.get(a.userId) ?? 0) + similarity * (a.accepted ? EXPERTISE.neighbourAccepted : 1));
  return credit;
}

const maxOf = (values: Iterable<number>) => [...values].reduce((max, v) => Math.max(max, v), 0);

/**
 * Members ranked by their expertise for a question's keys at `now`, best first (ties: lower id
 * first). A key counts by its kind (tags most) and by how few members hold it (a word every
 * answerer uses says little: ln(1 + members / holders)); certifications add to the keys they
 * cover; the answerers of similar earlier questions are credited (options.neighbours); the total
 * is weighted by how recently the member last posted.
 */
export function rankExperts(
  questionKeys: string[],
  entries: ExpertiseEntry[],
  now: number,
  options: RankOptions = {},
): { userId: number; score: number }[] {
  const wanted = new Set(questionKeys);
  const wordCount = questionKeys.filter((k) => k.startsWith("word:")).length;
  const holders = new Map<string, Set<number>>();
  const users = new Set<number>();
  for (const e of entries) {
    if (!wanted.has(e.key)) continue;
    users.add(e.userId);
    if (!holders.has(e.key)) holders.set(e.key, new Set());
    holders.get(e.key)!.add(e.userId);
  }
  const rarity = (key: string) => Math.log(1 + users.size / Math.max(1, holders.get(key)?.size ?? 1));
  const totals = new Map<number, number>();
  const add = (userId: number, key: string, value: number) =>
    totals.set(userId, (totals.get(userId) ?? 0) + keyWeight(key, wordCount) * rarity(key) * value);
  for (const e of entries) if (wanted.has(e.key)) add(e.userId, e.key, e.score * decay(now - e.asOf));
  for (const [userId, keys] of options.certified ?? [])
    for (const key of keys)
      if (wanted.has(key)) add(userId, key, EXPERTISE.certification * answerWeight({ score: 0, accepted: true }));
  // The credit for similar questions, scaled so the best credited member gets neighbourWeight x the best expertise.
  const neighbours = options.neighbours ?? new Map<number, number>();
  const scale = (EXPERTISE.neighbourWeight * (maxOf(totals.values()) || 1)) / (maxOf(neighbours.values()) || 1);
  for (const [userId, credit] of neighbours) totals.set(userId, (totals.get(userId) ?? 0) + credit * scale);
  return [...totals]
    .map(([userId, score]) => {
      const last = options.lastPostAt?.get(userId);
      return { userId, score: last === undefined ? score : score * activityWeight(now - last) };
    })
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.userId - b.userId);
}

/**
 * The keys an academy certification covers: the words of its course title, the community's tags
 * and categories named in it ("Fibre installation" covers tag:fibre and a "Fibre" category).
 */
export function certificationKeys(
  courseTitle: string,
  community: { tags: string[]; categories: { id: number; name: string }[] },
  locale?: string,
): string[] {
  const lang = searchLocale(locale);
  const words = new Set(analyze(courseTitle, lang, false));
  const keys = [...words].filter((w) => w.length >= 3).map((w) => `word:${w}`);
  for (const tag of community.tags) {
    const parts = tag.split(/[-_.+#]+/).flatMap((piece) => analyze(piece, lang, false));
    if (parts.length && parts.every((p) => words.has(p))) keys.push(`tag:${tag}`);
  }
  for (const category of community.categories) {
    const parts = analyze(category.name, lang, false);
    if (parts.length && parts.every((p) => words.has(p))) keys.push(`cat:${category.id}`);
  }
  return [...new Set(keys)];
}
