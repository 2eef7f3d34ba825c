/**
 * npm run eval:routing -- [--file FILE.jsonl]... [--stackexchange SITE_DIR]...
 *
 * Measures expert routing (src/routing/expertise.ts). A benchmark, not a test. It replays a
 * history in time order and, for each answered question, ranks the members using only what
 * happened before the question was posted, with the product's own expertise model (topicKeys,
 * buildProfile, similarAnswerers over the latest earlier answered questions, rankExperts) and its rules (never the asker; nobody inactive for 30 days). A
 * question counts as a hit at k when one of the k first members actually answered it. Prints
 * precision@1, precision@3 (routed experts who answered, over 3), hit@3 (at least one of the 3
 * answered: the product's "answered by a routed expert") and MRR, against a baseline: the most
 * active answerers in the question's tags (number of earlier answers, same rules).
 *
 * History format (JSONL, one question per line, any order):
 *   {"id": "q1", "time": "2026-03-01T10:00:00Z", "author": "u1", "tags": ["wifi", "router"],
 *    "category": "internet", "title": "Wifi drops every evening", "text": "Since Monday ...",
 *    "answers": [{"author": "u2", "time": "2026-03-01T11:00:00Z", "accepted": true,
 *                 "acceptedAt": "2026-03-02T08:00:00Z", "score": 3,
 *                 "upvotes": ["2026-03-01T12:00:00Z"], "downvotes": []}]}
 * Required: id, time (ISO 8601), author, tags (may be empty), title or text (the model reads the
 * title, else the first line of text), answers (author, time). Optional: category; accepted
 * (default false) and acceptedAt (default: the answer's time); votes as upvotes/downvotes times,
 * else score (the final score: use vote times when you have them, or the replay sees the future).
 * An answer may also stand on its own line with "question": "<id>" instead of inside "answers".
 * Default: test/fixtures/routing.jsonl (a synthetic telecom history written for this project).
 *
 * --stackexchange DIR replays a Stack Exchange dump read in place (never copied into the project),
 * e.g. ../shared/data/stackexchange/cardano.stackexchange.com: Posts.xml.gz (questions, answers,
 * accepted answers) and Votes.xml.gz (up and down votes and acceptances with their dates).
 */
import fs from "node:fs";
import path from "node:path";
import {
  answerKeys,
  buildProfile,
  EXPERTISE,
  KEY_WEIGHTS,
  rankExperts,
  similarAnswerers,
  topicKeys,
  type AnswerFact,
  type EarlierQuestion,
  type ExpertiseEntry,
} from "../src/routing/expertise.ts";
import { htmlToText } from "../src/search/search.text.ts";
import { tagsOf, xmlRows } from "./stackexchange.ts";

interface Answer {
  author: string;
  text: string;
  time: number;
  accepted: boolean;
  acceptedAt: number;
  score: number;
  upvotes: number[] | null;
  downvotes: number[];
}
interface Question {
  id: string;
  time: number;
  author: string;
  tags: string[];
  category: string | null;
  title: string;
  text: string;
  answers: Answer[];
}
interface History {
  name: string;
  questions: Question[];
}

function timeOf(value: unknown, where: string): number {
  const ms =
    typeof value === "string"
      ? Date.parse(value.endsWith("Z") || /[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`)
      : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`${where}: not a time: ${JSON.stringify(value)}`);
  return ms;
}

function parseAnswer(raw: Record<string, any>, where: string): Answer {
  if (typeof raw.author !== "string" && typeof raw.author !== "number")
    throw new Error(`${where}: an answer needs an author`);
  const time = timeOf(raw.time, where);
  const times = (list: unknown) => (Array.isArray(list) ? list.map((t) => timeOf(t, where)) : null);
  return {
    author: String(raw.author),
    text: String(raw.text ?? ""),
    time,
    accepted: raw.accepted === true,
    acceptedAt: raw.acceptedAt ? timeOf(raw.acceptedAt, where) : time,
    score: Number(raw.score ?? 0),
    upvotes: times(raw.upvotes),
    downvotes: times(raw.downvotes) ?? [],
  };
}

function readJsonl(file: string): History {
  const questions = new Map<string, Question>();
  const loose: [string, Answer][] = [];
  for (const [i, line] of fs.readFileSync(file, "utf8").split("\n").entries()) {
    if (!line.trim()) continue;
    const where = `${file}:${i + 1}`;
    const raw = JSON.parse(line) as Record<string, any>;
    if (raw.question !== undefined && raw.answers === undefined) {
      loose.push([String(raw.question), parseAnswer(raw, where)]);
      continue;
    }
    const title = String(raw.title ?? String(raw.text ?? "").split("\n")[0]).slice(0, 200);
    if (raw.id === undefined || !title || !Array.isArray(raw.tags))
      throw new Error(`${where}: a question needs id, title or text, and tags`);
    questions.set(String(raw.id), {
      id: String(raw.id),
      time: timeOf(raw.time, where),
      author: String(raw.author ?? ""),
      tags: raw.tags.map(String),
      category: raw.category === undefined || raw.category === null ? null : String(raw.category),
      title,
      text: String(raw.text ?? ""),
      answers: (raw.answers ?? []).map((a: Record<string, any>) => parseAnswer(a, where)),
    });
  }
  for (const [id, answer] of loose) questions.get(id)?.answers.push(answer);
  return { name: path.relative(process.cwd(), file), questions: [...questions.values()] };
}

async function stackExchangeHistory(dir: string): Promise<History> {
  const questions = new Map<string, Question>();
  const answers = new Map<string, Answer & { question: string }>();
  for await (const row of xmlRows(path.join(dir, "Posts.xml.gz"))) {
    const time = timeOf(row.CreationDate, row.Id);
    if (row.PostTypeId === "1") {
      questions.set(row.Id, {
        id: row.Id,
        time,
        author: row.OwnerUserId ?? "",
        tags: tagsOf(row.Tags),
        category: null,
        title: row.Title ?? "",
        text: htmlToText(row.Body ?? ""),
        answers: [],
      });
    } else if (row.PostTypeId === "2" && row.OwnerUserId) {
      answers.set(row.Id, {
        author: row.OwnerUserId,
        text: htmlToText(row.Body ?? ""),
        time,
        accepted: false,
        acceptedAt: time,
        score: 0,
        upvotes: [],
        downvotes: [],
        question: row.ParentId,
      });
    }
  }
  for await (const row of xmlRows(path.join(dir, "Votes.xml.gz"))) {
    const answer = answers.get(row.PostId);
    if (!answer) continue;
    const time = timeOf(row.CreationDate, row.Id);
    if (row.VoteTypeId === "1") Object.assign(answer, { accepted: true, acceptedAt: Math.max(time, answer.time) });
    if (row.VoteTypeId === "2") answer.upvotes!.push(time);
    if (row.VoteTypeId === "3") answer.downvotes.push(time);
  }
  for (const answer of answers.values()) questions.get(answer.question)?.answers.push(answer);
  return { name: path.basename(dir), questions: [...questions.values()] };
}

/** What is known of an answer at a given time: its score from the votes cast so far, accepted or not yet. */
function answerAt(answer: Answer & { keys?: string[] }, keys: string[], now: number): AnswerFact {
  const before = (times: number[]) => times.filter((t) => t < now).length;
  const score = answer.upvotes ? before(answer.upvotes) - before(answer.downvotes) : answer.score;
  return { createdAt: answer.time, score, accepted: answer.accepted && answer.acceptedAt < now, keys };
}

interface Metrics {
  hit1: number;
  hit3: number;
  mrr: number;
}

function score(ranking: string[], truth: Set<string>): Metrics {
  const first = ranking.findIndex((u) => truth.has(u));
  return { hit1: first === 0 ? 1 : 0, hit3: first >= 0 && first < 3 ? 1 : 0, mrr: first >= 0 ? 1 / (first + 1) : 0 };
}

type Target = "answered" | "accepted";
type Method = "routed" | "baseline";
interface Result {
  evaluated: Record<Target, number>;
  /** Questions whose target had answered an earlier question: no expertise model can route the others. */
  reachable: Record<Target, number>;
  metrics: Record<Target, Record<Method, Metrics>>;
}

/**
 * Replays the history: each answered question is ranked by both methods with what came before it,
 * and scored against two targets: anyone (but the asker) who answered, and the accepted answerer.
 */
function replay(history: History): Result {
  const questions = [...history.questions].sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  const categories = new Map<string, number>();
  const keysOf = new Map<string, string[]>();
  for (const q of questions) {
    const categoryId =
      q.category === null
        ? null
        : (categories.get(q.category) ?? categories.set(q.category, categories.size + 1).get(q.category)!);
    keysOf.set(q.id, topicKeys({ tags: q.tags, categoryId, title: q.title, body: q.text }));
  }
  const answers = questions
    .flatMap((q) =>
      q.answers
        .filter((a) => a.author !== q.author)
        .map((a) => ({ ...a, question: q, keys: [...new Set([...keysOf.get(q.id)!, ...answerKeys(a.text)])] })),
    )
    .sort((a, b) => a.time - b.time);
  const posts = [...questions.map((q) => ({ author: q.author, time: q.time })), ...answers]
    .filter((p) => p.author)
    .sort((a, b) => a.time - b.time);
  const zero = (): Metrics => ({ hit1: 0, hit3: 0, mrr: 0 });
  const totals: Result["metrics"] = {
    answered: { routed: zero(), baseline: zero() },
    accepted: { routed: zero(), baseline: zero() },
  };
  const evaluated = { answered: 0, accepted: 0 };
  const reachable = { answered: 0, accepted: 0 };
  for (const q of questions) {
    const answeredBy = new Set(q.answers.map((a) => a.author).filter((a) => a !== q.author));
    if (answeredBy.size === 0) continue;
    const acceptedBy = new Set(q.answers.filter((a) => a.accepted && a.author !== q.author).map((a) => a.author));
    const lastPost = new Map<string, number>();
    for (const p of posts) if (p.time < q.time) lastPost.set(p.author, p.time);
    const earlier = answers.filter((a) => a.time < q.time && a.author !== q.author);
    // The product: each member's stored profile (as rebuilt by the expertise job), ranked by rankExperts.
    const byUser = new Map<string, AnswerFact[]>();
    for (const a of earlier) {
      if (!byUser.has(a.author)) byUser.set(a.author, []);
      byUser.get(a.author)!.push(answerAt(a, a.keys, q.time));
    }
    const ids = [...byUser.keys()];
    const entries: ExpertiseEntry[] = ids.flatMap((user, index) =>
      [...buildProfile(byUser.get(user)!, q.time)].map(([key, value]) => ({
        userId: index,
        key,
        score: value,
        asOf: q.time,
      })),
    );
    const lastPostAt = new Map(ids.map((user, index) => [index, lastPost.get(user) ?? 0]));
    // The latest earlier answered questions, as the product reads them (routing.service.ts, earlierQuestions).
    const index = new Map(ids.map((user, i) => [user, i]));
    const earlierQuestions: EarlierQuestion[] = [];
    for (const e of questions) {
      if (e.time >= q.time) break;
      const answerers = e.answers
        .filter((a) => a.time < q.time && a.author !== e.author && index.has(a.author))
        .map((a) => ({ userId: index.get(a.author)!, accepted: a.accepted && a.acceptedAt < q.time }));
      if (answerers.length) earlierQuestions.push({ keys: keysOf.get(e.id)!, createdAt: e.time, answerers });
    }
    const neighbours = similarAnswerers(keysOf.get(q.id)!, earlierQuestions.slice(-EXPERTISE.neighbourPool), q.time);
    const routed = rankExperts(keysOf.get(q.id)!, entries, q.time, { lastPostAt, neighbours }).map(
      (r) => ids[r.userId],
    );
    // The baseline: most answers in the question's tags so far (members who posted in the last 30 days).
    const counts = new Map<string, number>();
    for (const a of earlier) {
      if ((lastPost.get(a.author) ?? 0) < q.time - 30 * 86_400_000) continue;
      const shared = a.question.tags.filter((t) => q.tags.includes(t)).length;
      if (shared) counts.set(a.author, (counts.get(a.author) ?? 0) + shared);
    }
    const baseline = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([user]) => user);
    for (const [target, truth] of [
      ["answered", answeredBy],
      ["accepted", acceptedBy],
    ] as const) {
      if (truth.size === 0) continue;
      evaluated[target] += 1;
      if ([...truth].some((user) => byUser.has(user))) reachable[target] += 1;
      for (const [method, ranking] of [
        ["routed", routed],
        ["baseline", baseline],
      ] as const) {
        const m = score(ranking, truth);
        for (const k of ["hit1", "hit3", "mrr"] as const) totals[target][method][k] += m[k];
      }
    }
  }
  for (const target of ["answered", "accepted"] as const)
    for (const method of ["routed", "baseline"] as const)
      for (const k of ["hit1", "hit3", "mrr"] as const) totals[target][method][k] /= evaluated[target] || 1;
  return { evaluated, reachable, metrics: totals };
}

function print(history: History): void {
  const result = replay(history);
  const fmt = (m: Metrics) => [m.hit1, m.hit3, m.mrr].map((v) => v.toFixed(3).padStart(7)).join(" ");
  console.log(`\n${history.name}: ${history.questions.length} questions`);
  console.log(`${"target".padEnd(22)} ${"method".padEnd(34)}   Hit@1   Hit@3     MRR`);
  for (const target of ["answered", "accepted"] as const) {
    const label = `${target === "answered" ? "anyone who answered" : "accepted answerer"} (${result.evaluated[target]})`;
    console.log(`${label.padEnd(22)} ${"routing (expertise model)".padEnd(34)} ${fmt(result.metrics[target].routed)}`);
    console.log(
      `${"".padEnd(22)} ${"baseline (most active in the tags)".padEnd(34)} ${fmt(result.metrics[target].baseline)}`,
    );
    const share = result.reachable[target] / (result.evaluated[target] || 1);
    console.log(
      `${"".padEnd(22)} ${"ceiling (target had answered before)".padEnd(34)} ${share.toFixed(3).padStart(23)}`,
    );
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const histories: History[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--set") {
      // Tuning aid: --set halfLifeDays=90 (EXPERTISE) or --set word=0.8 (KEY_WEIGHTS).
      const [name, value] = args[++i].split("=");
      const target = (name in EXPERTISE ? EXPERTISE : KEY_WEIGHTS) as Record<string, number>;
      target[name] = Number(value);
    } else if (args[i] === "--file") histories.push(readJsonl(args[++i]));
    else if (args[i] === "--stackexchange") histories.push(await stackExchangeHistory(args[++i]));
    else throw new Error(`Unknown argument ${args[i]}; use --file FILE.jsonl or --stackexchange DIR`);
  }
  if (histories.length === 0) histories.push(readJsonl(path.join(process.cwd(), "test/fixtures/routing.jsonl")));
  console.log("Expert routing, replayed in time order with only earlier data (the asker never routed to).");
  for (const history of histories) print(history);
}

await main();
