/**
 * npm run eval:similar -- [--site SITE_DIR]... [--file FILE.jsonl]... [--stackexchange SITE_DIR]... [--sweep]
 *                         [--engines sqlite,postgres] [--sets duplicates,related] [--warm-up N]
 *
 * Measures the similar-question ranking (src/search/similar.ts). A benchmark, not a test.
 *
 * --site DIR is the real task: whole-site retrieval, leave-one-out (see scripts/eval-site.ts).
 * Every question of the dump in one community; each duplicate (and each related-link question)
 * asked as its title alone and as title + body with its own topic out of the index; MRR, P@1, R@5
 * and R@10 per engine, beside a plain FTS5 bm25 baseline computed in the same run, and the time
 * similarTopics() took per query as the new-topic form asks it (5 results; p50 / p95): cold,
 * right after its topic left the index (memory catches up), and warm, asked again. Before
 * anything is timed, N questions in neither set (default 10, --warm-up 0 for none) are asked the
 * same way, so the process's start is not counted as the first queries' cost; their times are
 * printed on a line of their own.
 *
 * Rerank mode (--file, --stackexchange): a labelled candidate set per query.
 *
 * Labelled set format (JSONL, one query per line):
 *   {"query": {"title": "...", "body": "..."},
 *    "candidates": [{"id": "c1", "title": "...", "body": "...", "solved": true}, ...],
 *    "duplicates": ["c1", ...]}
 * `solved` is optional (the candidate gets an accepted answer); `duplicates` lists the candidates
 * that are true duplicates of the query; every other candidate counts as not relevant.
 * Default set: test/fixtures/similar.jsonl (20 telecom support questions written for this project).
 *
 * --stackexchange DIR builds a set on the fly from a Stack Exchange dump directory
 * (e.g. ../shared/data/stackexchange/cardano.stackexchange.com; read in place, never copied):
 * each duplicate link (PostLinks LinkTypeId 3) gives a query (the closed copy, with "Possible
 * Duplicate" blocks and links to the original removed) whose candidates are the original plus up to
 * 14 other questions sharing the most tags with it (questions linked as duplicates of either left out).
 *
 * Each query's candidates go into a fresh community of a fresh database through the product's own
 * code (createCommunity, createTopic, createReply + accept for solved ones, indexTopic); the query
 * is then ranked by similarTopics() with each weighting variant. Prints MAP, MRR, P@1 and P@5 per
 * database (SQLite in memory always; PostgreSQL in a throwaway schema when EVAL_DATABASE_URL is
 * set) and variant. --sweep adds lexical/trigram weight mixes in steps of 0.1.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { loadConfig, type Config } from "../src/core/config.ts";
import { openDatabase } from "../src/db/database.ts";
import type { Actor, Deps } from "../src/core/deps.ts";
import { systemClock } from "../src/core/clock.ts";
import { randomToken } from "../src/lib/crypto.ts";
import { ensurePlatformAdmin } from "../src/accounts/accounts.service.ts";
import { createCommunity } from "../src/communities/communities.service.ts";
import { communityAccess } from "../src/communities/communities.access.ts";
import { installRegistries } from "../src/app/registry.ts";
import { createReply, createTopic } from "../src/topics/topics.posting.ts";
import { accept } from "../src/topics/topics.reactions.ts";
import { indexTopic } from "../src/search/search.index.ts";
import { htmlToText } from "../src/search/search.text.ts";
import { SIMILAR_RANKING, similarTopics, type SimilarRanking } from "../src/search/similar.ts";
import { tagsOf, xmlRows } from "./stackexchange.ts";
import {
  baselineRankings,
  formatMetrics,
  loadSite,
  warmUpQueries,
  productRankings,
  readSite,
  retrievalMetrics,
  tuneRankings,
  type QueryMode,
} from "./eval-site.ts";

// The product's own code runs here without the app: install what its use cases look up.
installRegistries();

interface Candidate {
  id: string;
  title: string;
  body: string;
  solved?: boolean;
}
interface LabelledQuery {
  query: { title: string; body: string };
  candidates: Candidate[];
  duplicates: string[];
}
interface LabelledSet {
  name: string;
  queries: LabelledQuery[];
}

function readJsonl(file: string): LabelledSet {
  const queries = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line, i) => {
      const q = JSON.parse(line) as LabelledQuery;
      if (!q.query?.title || !Array.isArray(q.candidates) || !Array.isArray(q.duplicates))
        throw new Error(`${file}:${i + 1}: not a labelled query`);
      return q;
    });
  return { name: path.relative(process.cwd(), file), queries };
}

/** A question's body as the query: quoted "Possible Duplicate" blocks and links to the originals removed (they leak the answer). */
function queryBody(html: string, originals: number[]): string {
  let body = html.replace(
    /<blockquote>(?:(?!<\/blockquote>)[\s\S])*?(possible duplicate|already has an answer|exact duplicate)[\s\S]*?<\/blockquote>/gi,
    " ",
  );
  body = body.replace(/<p>\s*<strong>\s*Possible Duplicate:?[\s\S]*?<\/p>/gi, " ");
  for (const id of originals)
    body = body.replace(
      new RegExp(`<a [^>]*href="[^"]*/(?:questions|q)/${id}\\b[^"]*"[^>]*>[\\s\\S]*?</a>`, "gi"),
      " ",
    );
  return htmlToText(body);
}

async function stackExchangeSet(dir: string): Promise<LabelledSet> {
  const questions = new Map<number, { title: string; body: string; tags: string[]; solved: boolean }>();
  for await (const row of xmlRows(path.join(dir, "Posts.xml.gz"))) {
    if (row.PostTypeId !== "1") continue;
    questions.set(Number(row.Id), {
      title: row.Title ?? "",
      body: row.Body ?? "",
      tags: tagsOf(row.Tags),
      solved: Boolean(row.AcceptedAnswerId),
    });
  }
  const originalsOf = new Map<number, number[]>();
  const linked = new Set<string>();
  for await (const row of xmlRows(path.join(dir, "PostLinks.xml.gz"))) {
    if (row.LinkTypeId !== "3") continue;
    const copy = Number(row.PostId);
    const original = Number(row.RelatedPostId);
    if (!questions.has(copy) || !questions.has(original) || copy === original) continue;
    const list = originalsOf.get(copy) ?? [];
    if (!list.includes(original)) list.push(original);
    originalsOf.set(copy, list);
    linked.add(`${copy}:${original}`).add(`${original}:${copy}`);
  }
  const queries: LabelledQuery[] = [];
  const asCandidate = (id: number): Candidate => {
    const q = questions.get(id)!;
    return { id: String(id), title: q.title, body: htmlToText(q.body).slice(0, 5000) || q.title, solved: q.solved };
  };
  for (const [copy, originals] of [...originalsOf].sort((a, b) => a[0] - b[0])) {
    const tags = new Set(originals.flatMap((id) => questions.get(id)!.tags));
    const related = (id: number) => [copy, ...originals].some((other) => linked.has(`${id}:${other}`));
    const others = [...questions]
      .filter(([id]) => id !== copy && !originals.includes(id) && !related(id))
      .map(([id, q]) => ({ id, shared: q.tags.filter((t) => tags.has(t)).length }))
      .filter((o) => o.shared > 0)
      .sort((a, b) => b.shared - a.shared || a.id - b.id)
      .slice(0, 14);
    const query = questions.get(copy)!;
    queries.push({
      query: { title: query.title, body: queryBody(query.body, originals).slice(0, 5000) },
      candidates: [...originals, ...others.map((o) => o.id)].sort((a, b) => a - b).map(asCandidate),
      duplicates: originals.map(String),
    });
  }
  return { name: path.basename(dir), queries };
}

interface Database {
  name: string;
  deps: Deps;
  close(): Promise<void>;
}

async function openEvalDatabase(kind: "sqlite" | "postgres"): Promise<Database> {
  const base = loadConfig({});
  const config: Config = {
    ...base,
    seedDemo: false,
    rateLimits: { ...base.rateLimits, post: { max: 1_000_000, windowMs: 60_000 } },
  };
  const schema = `eval_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;
  const handle =
    kind === "sqlite"
      ? await openDatabase({ dataDir: config.dataDir, sqliteFile: ":memory:" })
      : await openDatabase({
          dataDir: config.dataDir,
          databaseUrl: process.env.EVAL_DATABASE_URL,
          databaseSchema: schema,
        });
  const deps: Deps = { db: handle.db, dialect: handle.dialect, config, clock: systemClock };
  return {
    name: kind,
    deps,
    close: async () => {
      if (kind === "postgres") await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db);
      await handle.close();
    },
  };
}

async function evalActor(deps: Deps): Promise<Actor> {
  const email = "eval-similar@example.test";
  await ensurePlatformAdmin(deps, email, randomToken());
  const user = await deps.db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  return { id: user.id, name: user.name, email: user.email, isPlatformAdmin: true, locale: null, via: "token" };
}

const fitTitle = (title: string) => (title.length >= 8 ? title : `${title} (question)`).slice(0, 200);

/** Loads one query's candidates into a fresh community; returns its slug and topic id -> candidate id. */
async function loadQuery(deps: Deps, actor: Actor, slug: string, q: LabelledQuery): Promise<Map<number, string>> {
  await createCommunity(deps, actor, {
    slug,
    name: `Eval ${slug}`,
    visibility: "public",
    description: "",
    locale: "en",
  });
  const access = await communityAccess(deps, { slug: slug }, actor);
  const ids = new Map<number, string>();
  for (const c of q.candidates) {
    const topic = await createTopic(deps, access, {
      kind: "question",
      title: fitTitle(c.title),
      body: (c.body || c.title).slice(0, 50_000),
      tags: [],
    });
    if (c.solved) {
      const reply = await createReply(deps, topic.id, actor, "This solved it.");
      await accept(deps, topic.id, actor, reply.id);
    }
    await indexTopic(deps, topic.id);
    ids.set(topic.id, c.id);
  }
  return ids;
}

interface Metrics {
  map: number;
  mrr: number;
  p1: number;
  p5: number;
}

function scoreRankings(rankings: { ranked: string[]; relevant: Set<string> }[]): Metrics {
  let map = 0;
  let mrr = 0;
  let p1 = 0;
  let p5 = 0;
  for (const { ranked, relevant } of rankings) {
    let hits = 0;
    let ap = 0;
    ranked.forEach((id, i) => {
      if (!relevant.has(id)) return;
      hits++;
      ap += hits / (i + 1);
      if (hits === 1) mrr += 1 / (i + 1);
    });
    map += relevant.size ? ap / relevant.size : 0;
    p1 += ranked.slice(0, 1).filter((id) => relevant.has(id)).length;
    p5 += ranked.slice(0, 5).filter((id) => relevant.has(id)).length / 5;
  }
  const n = rankings.length || 1;
  return { map: map / n, mrr: mrr / n, p1: p1 / n, p5: p5 / n };
}

function parseArgs(argv: string[]) {
  const files: string[] = [];
  const sites: string[] = [];
  const whole: string[] = [];
  let engines: ("sqlite" | "postgres")[] = [
    "sqlite",
    ...(process.env.EVAL_DATABASE_URL ? (["postgres"] as const) : []),
  ];
  let sets = ["duplicates", "related"];
  let sweep = false;
  let tune: string | null = null;
  let warmUp = 10;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--file") files.push(argv[++i]);
    else if (argv[i] === "--stackexchange") sites.push(argv[++i]);
    else if (argv[i] === "--site") whole.push(argv[++i]);
    else if (argv[i] === "--sweep") sweep = true;
    else if (argv[i] === "--engines") engines = argv[++i].split(",") as typeof engines;
    else if (argv[i] === "--sets") sets = argv[++i].split(",");
    else if (argv[i] === "--tune") tune = argv[++i];
    else if (argv[i] === "--warm-up") warmUp = Number(argv[++i]);
    else throw new Error(`Unknown argument ${argv[i]}`);
  }
  if (files.length === 0 && sites.length === 0 && whole.length === 0) files.push("test/fixtures/similar.jsonl");
  if (!Number.isInteger(warmUp) || warmUp < 0) throw new Error("--warm-up takes a number of questions (0 or more).");
  return { files, sites, whole, engines, sets, sweep, tune, warmUp };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : 0;
};

/** Whole-site leave-one-out: product and plain bm25 per set and query mode, per engine. */
async function evalWholeSite(
  dir: string,
  engines: ("sqlite" | "postgres")[],
  sets: string[],
  warmUp: number,
): Promise<void> {
  const site = await readSite(dir);
  console.log(
    `\n${site.name}: ${site.questions.size} questions, ${site.duplicates.length} duplicate queries, ${site.related.length} related-link queries`,
  );
  console.log(
    `${"engine".padEnd(10)} ${"set".padEnd(11)} ${"query".padEnd(11)} ${"ranking".padEnd(10)} ${["MRR", "P@1", "R@5", "R@10"].map((h) => h.padStart(6)).join(" ")}   ms p50 / p95: cold     warm`,
  );
  const modes: QueryMode[] = ["title", "title+body"];
  const chosen = (["duplicates", "related"] as const).filter((s) => sets.includes(s));
  for (const kind of engines) {
    const database = await openEvalDatabase(kind);
    try {
      const actor = await evalActor(database.deps);
      const started = performance.now();
      const loaded = await loadSite(database.deps, actor, "site", site);
      console.log(`${kind}: loaded and indexed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const warmUpSet = warmUpQueries(site, warmUp);
      if (warmUpSet.length) {
        const warming = { cold: [] as number[], warm: [] as number[] };
        await productRankings(database.deps, actor, "site", site, loaded, warmUpSet, "title+body", {}, warming);
        console.log(
          `${kind}: warm-up, ${warmUpSet.length} questions in neither set asked first (title+body, right after a change): ${[
            warming.cold[0],
            percentile(warming.cold, 0.5),
            Math.max(...warming.cold),
          ]
            .map((ms) => ms.toFixed(1))
            .join(" / ")} ms first / p50 / max`,
        );
      }
      for (const set of chosen) {
        for (const mode of modes) {
          const timings = { cold: [] as number[], warm: [] as number[] };
          const product = retrievalMetrics(
            await productRankings(database.deps, actor, "site", site, loaded, site[set], mode, {}, timings),
          );
          const baseline = retrievalMetrics(baselineRankings(site, site[set], mode));
          const head = `${kind.padEnd(10)} ${set.padEnd(11)} ${mode.padEnd(11)}`;
          console.log(
            `${head} ${"product".padEnd(10)} ${formatMetrics(product)} ${[timings.cold, timings.warm]
              .map(
                (t) => `${percentile(t, 0.5).toFixed(1).padStart(6)} / ${percentile(t, 0.95).toFixed(1).padStart(5)}`,
              )
              .join("  ")}`,
          );
          console.log(`${head} ${"bm25".padEnd(10)} ${formatMetrics(baseline)}`);
        }
      }
    } finally {
      await database.close();
    }
  }
}

/**
 * --tune FILE.json: [["name", {ranking changes}], ...] tried on every site, on the first engine;
 * prints MRR per set and query mode and their mean (ranking is the same on both engines).
 */
async function tuneWholeSite(dir: string, engine: "sqlite" | "postgres", file: string): Promise<void> {
  const variants = JSON.parse(fs.readFileSync(file, "utf8")) as [string, Partial<SimilarRanking>][];
  const site = await readSite(dir);
  const database = await openEvalDatabase(engine);
  try {
    const actor = await evalActor(database.deps);
    const loaded = await loadSite(database.deps, actor, "site", site);
    const results = await tuneRankings(
      database.deps,
      actor,
      "site",
      site,
      loaded,
      variants.map(([name, ranking]) => [name, { ranking }]),
    );
    console.log(`\n${site.name} (MRR)`);
    const keys = ["duplicates title", "duplicates title+body", "related title", "related title+body"];
    console.log(`${"variant".padEnd(40)} ${keys.map((k) => k.padStart(22)).join("")}   mean`);
    for (const [name, byKey] of results) {
      const values = keys.map((k) => byKey[k]?.mrr ?? 0);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      console.log(`${name.padEnd(40)} ${values.map((v) => v.toFixed(3).padStart(22)).join("")}  ${mean.toFixed(3)}`);
    }
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.tune) {
    for (const dir of args.whole) await tuneWholeSite(dir, args.engines[0], args.tune);
    return;
  }
  for (const dir of args.whole) await evalWholeSite(dir, args.engines, args.sets, args.warmUp);
  if (args.whole.length && !args.files.length && !args.sites.length) return;
  const sets = [...args.files.map(readJsonl), ...(await Promise.all(args.sites.map(stackExchangeSet)))];
  const variants: [string, Partial<SimilarRanking>][] = [
    ["lexical only", { trigram: 0 }],
    [`lexical + trigram ${SIMILAR_RANKING.trigram} (shipped)`, {}],
  ];
  if (args.sweep) for (let w = 0; w <= 10; w += 2) variants.push([`lexical + trigram ${w / 10}`, { trigram: w / 10 }]);
  const kinds = args.engines;
  const fmt = (n: number) => n.toFixed(3);
  for (const set of sets) {
    const candidates = set.queries.reduce((n, q) => n + q.candidates.length, 0);
    console.log(`\n${set.name}: ${set.queries.length} queries, ${candidates} candidates`);
    console.log(
      `${"database".padEnd(9)} ${"variant".padEnd(40)} ${["MAP", "MRR", "P@1", "P@5"].map((h) => h.padStart(6)).join(" ")}`,
    );
    for (const kind of kinds) {
      const database = await openEvalDatabase(kind);
      try {
        const actor = await evalActor(database.deps);
        const loaded: { slug: string; ids: Map<number, string>; q: LabelledQuery }[] = [];
        for (const [i, q] of set.queries.entries()) {
          const slug = `eval-${i + 1}`;
          loaded.push({ slug, ids: await loadQuery(database.deps, actor, slug, q), q });
        }
        for (const [label, ranking] of variants) {
          const rankings = [];
          for (const { slug, ids, q } of loaded) {
            const access = await communityAccess(database.deps, { slug: slug }, actor);
            const items = await similarTopics(
              database.deps,
              access,
              { title: q.query.title, body: q.query.body, limit: 50 },
              { ranking, limitMax: 50, keepAll: true },
            );
            rankings.push({ ranked: items.map((item) => ids.get(item.topic!.id)!), relevant: new Set(q.duplicates) });
          }
          const m = scoreRankings(rankings);
          console.log(
            `${kind.padEnd(9)} ${label.padEnd(40)} ${[m.map, m.mrr, m.p1, m.p5].map((n) => fmt(n).padStart(6)).join(" ")}`,
          );
        }
      } finally {
        await database.close();
      }
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
