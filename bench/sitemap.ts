/**
 * npm run bench:sitemap: how long the sitemaps of a big community take to build, uncached.
 * Seeds one public community of 100,000 topics (SQLite in a temporary directory; PostgreSQL too
 * when BENCH_DATABASE_URL is set, in a schema of its own) and times, five times each, the sitemap
 * index (one window query over every topic) and topic sitemaps of 10,000 URLs. Prints
 * the median and the slowest run; asserts nothing.
 *
 *   BENCH_SITEMAP_TOPICS=100000   topics to seed
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { openDatabase, type DatabaseHandle } from "../src/db/database.ts";
import { loadConfig } from "../src/core/config.ts";
import { systemClock } from "../src/core/clock.ts";
import { publicCommunity, topicChunks } from "../src/seo/seo.queries.ts";
import { TOPICS_PER_SITEMAP, sitemapIndex, topicSitemap } from "../src/seo/seo.sitemap.ts";

const TOPICS = Number(process.env.BENCH_SITEMAP_TOPICS ?? 100_000);
const RUNS = 5;

async function seed(handle: DatabaseHandle): Promise<number> {
  const { db } = handle;
  const now = Date.now();
  const user = await db
    .insertInto("users")
    .values({
      email: "bench@example.test",
      name: "Bench",
      handle: "bench",
      passwordHash: "x",
      isPlatformAdmin: 0,
      locale: null,
      signupIp: null,
      createdAt: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const community = await db
    .insertInto("communities")
    .values({ slug: "big", name: "Big", description: "", visibility: "public", locale: "en", createdAt: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  const categories = [];
  for (const [position, scope] of (["crowd", "crowd", "staff_only", "private"] as const).entries())
    categories.push(
      (
        await db
          .insertInto("categories")
          .values({
            communityId: community.id,
            slug: `c${position}`,
            name: `C${position}`,
            description: "",
            position,
            scope,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id,
    );
  const started = performance.now();
  for (let from = 0; from < TOPICS; from += 1000) {
    const rows = [];
    for (let i = from; i < Math.min(from + 1000, TOPICS); i++)
      rows.push({
        communityId: community.id,
        categoryId: categories[i % categories.length],
        authorId: user.id,
        kind: "question" as const,
        title: `Router question number ${i} about the evening Wi-Fi`,
        body: "Body",
        bodyHtml: "<p>Body</p>",
        tags: "[]",
        score: 0,
        replyCount: 0,
        followerCount: 0,
        acceptedReplyId: null,
        createdAt: now - (TOPICS - i) * 60_000,
        lastActivityAt: now - (TOPICS - i) * 60_000,
        editedAt: null,
        // One in fifty held or hidden by moderators: the filter must read them and leave them out.
        moderationState: i % 50 === 0 ? ("hidden" as const) : ("visible" as const),
      });
    await db.insertInto("topics").values(rows).execute();
  }
  if (handle.dialect === "postgres") await sql`analyze`.execute(db);
  console.log(`  seeded ${TOPICS} topics in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return community.id;
}

/** Wall time, and this process's CPU time (on SQLite that includes the queries; on a busy machine it says more than the wall time). */
async function time(label: string, run: () => Promise<{ body: string }>): Promise<void> {
  const times: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    bytes = (await run()).body.length;
    const used = process.cpuUsage(cpuStarted);
    times.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) =>
    [...values]
      .sort((a, b) => a - b)
      [RUNS >> 1].toFixed(1)
      .padStart(7);
  console.log(
    `  ${label.padEnd(34)} median ${median(times)} ms, slowest ${Math.max(...times)
      .toFixed(1)
      .padStart(7)} ms, CPU ${median(cpu)} ms, ${(bytes / 1024 / 1024).toFixed(1)} MB`,
  );
}

async function bench(name: string, location: { databaseUrl?: string; databaseSchema?: string }, dataDir: string) {
  console.log(`${name}:`);
  const handle = await openDatabase({ dataDir, ...location });
  try {
    await seed(handle);
    const deps = { db: handle.db, config: loadConfig({}), clock: systemClock };
    const community = (await publicCommunity(handle.db, "big"))!;
    const chunks = await topicChunks(handle.db, community.id, TOPICS_PER_SITEMAP);
    await time("sitemap index", () => sitemapIndex(deps));
    // The first, a middle and the last topic sitemap.
    for (const chunk of [chunks[0], chunks[chunks.length >> 1], chunks[chunks.length - 1]])
      await time(`topics sitemap after=${chunk.after}`, () => topicSitemap(deps, community, chunk.after));
  } finally {
    if (location.databaseSchema) await sql`drop schema ${sql.id(location.databaseSchema)} cascade`.execute(handle.db);
    await handle.close();
  }
}

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "crowdservice-sitemap-"));
try {
  await bench("SQLite", {}, tmpDir);
  if (process.env.BENCH_DATABASE_URL)
    await bench(
      "PostgreSQL",
      { databaseUrl: process.env.BENCH_DATABASE_URL, databaseSchema: `cs_sitemap_${process.pid}` },
      tmpDir,
    );
} finally {
  fs.rmSync(tmpDir, { recursive: true, force: true });
}
