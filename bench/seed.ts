import { sql, type Insertable } from "kysely";
import type { Db, Dialect } from "../src/db/database.ts";
import type { Database, Role, TopicKind } from "../src/db/schema.ts";
import { hashPassword, randomToken } from "../src/lib/crypto.ts";
import { renderMarkdown } from "../src/lib/markdown.ts";
import { firstFreeHandle, handleBase } from "../src/lib/handles.ts";
import { topicPath } from "../src/topics/topics.urls.ts";

/** How much the bench seeds into its one community. */
export const SEED_SIZE = {
  users: 300,
  topics: 10_000,
  /** Replies per topic vary from 0 to twice this, averaging exactly this. */
  repliesPerTopic: 10,
  categories: 8,
} as const;

export interface SeedResult {
  slug: string;
  counts: Record<"users" | "topics" | "replies" | "comments" | "votes" | "follows" | "tags" | "solved", number>;
  /** Topics with exactly `repliesPerTopic` replies, the typical topic page. */
  typicalTopicIds: number[];
  /** Their canonical addresses (with the title slug; the bare /c/:slug/t/:id answers 301). */
  typicalTopicPaths: string[];
  seconds: number;
}

/** A small deterministic generator, so every run (and both databases) get the same data. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  return { next, int, pick };
}

const FIRST = [
  "Alice",
  "Bruno",
  "Chiara",
  "David",
  "Elena",
  "Felix",
  "Gina",
  "Hugo",
  "Ines",
  "Jonas",
  "Karin",
  "Luca",
  "Mara",
  "Nico",
  "Olga",
  "Paul",
  "Rita",
  "Sven",
  "Tina",
  "Urs",
];
const LAST = [
  "Keller",
  "Rossi",
  "Meier",
  "Dubois",
  "Huber",
  "Weber",
  "Fontana",
  "Schmid",
  "Moreau",
  "Baumann",
  "Gerber",
  "Bianchi",
  "Frei",
  "Marti",
  "Brunner",
];
const CATEGORIES = [
  "Internet & Wi-Fi",
  "TV",
  "Mobile",
  "Billing",
  "Landline",
  "Devices",
  "Moving house",
  "Account & login",
];
const TAGS = [
  "wifi",
  "router",
  "fibre",
  "dsl",
  "mesh",
  "tv-box",
  "replay",
  "recording",
  "esim",
  "roaming",
  "5g",
  "sim",
  "invoice",
  "refund",
  "direct-debit",
  "app",
  "login",
  "password",
  "email",
  "voip",
  "landline",
  "moving",
  "contract",
  "upgrade",
  "outage",
  "speed",
  "latency",
  "port-forwarding",
  "ipv6",
  "dns",
  "parental-control",
  "streaming",
  "sports",
  "bundle",
  "prepaid",
  "data",
  "hotspot",
  "voicemail",
  "number-porting",
  "installation",
];
const SUBJECTS = [
  "Router",
  "TV box",
  "Mobile data",
  "My invoice",
  "The app",
  "Wi-Fi",
  "Fibre line",
  "eSIM",
  "Voicemail",
  "Replay TV",
  "Landline",
  "Mesh repeater",
  "Roaming",
  "Direct debit",
  "Email account",
  "Hotspot",
];
const PROBLEMS = [
  "keeps disconnecting",
  "is very slow",
  "shows an error",
  "stopped working",
  "charges twice",
  "does not update",
  "loses settings",
  "cannot be activated",
  "drops at night",
  "is missing channels",
  "freezes on start",
  "reports the wrong usage",
  "needs a reset",
  "asks for a PIN",
  "blinks red",
  "times out",
];
const CONTEXTS = [
  "after the latest update",
  "since I moved",
  "every evening",
  "on weekends",
  "with the new plan",
  "abroad",
  "after a power cut",
  "on my second phone",
  "since last week",
  "with a VPN",
  "in the bedroom",
  "after changing my password",
];
const KINDS: readonly TopicKind[] = [
  "question",
  "question",
  "question",
  "question",
  "question",
  "problem",
  "problem",
  "problem",
  "idea",
  "praise",
];

const PARAGRAPHS = [
  "I have tried restarting the **router** twice and unplugged it for a minute, but the problem comes back after a while.",
  "The status page says everything is fine in my area. The LEDs stay green the whole time, which makes it hard to tell what is wrong.",
  "Is there a way to see the *connection log*? I would like to know whether the line or the device is the problem.",
  "My setup:\n\n- Internet-Box 3, firmware 12.4\n- two mesh repeaters\n- about 25 devices at home",
  "Here is what the diagnostics page shows:\n\n```\nsync: 940/110 Mbit/s\nerrors: 0\nuptime: 2d 4h\n```",
  "I found [the help article](https://example.com/help/router) but the menu it describes does not exist on my device.",
  "It started right after the technician visit. Before that it worked for two years without a single problem.",
  "> The service may be interrupted during maintenance windows.\n\nHow often do these windows happen, and are they announced anywhere?",
  "Any idea what else I could try before calling the hotline? The waiting time there is usually long in the evening.",
  "I checked the cables, swapped the power adapter and reset the device to factory settings. Same result.",
  "This would save a lot of time for families with several contracts, and it is something other providers already offer.",
  "Thank you to the team for the quick help last week: everything works perfectly now, and the technician was very friendly.",
];
const ANSWERS = [
  "Try switching the 2.4 GHz band to channel **1, 6 or 11**, whichever your neighbours use least. A free Wi-Fi analyser app shows them.",
  "Hold the reset button for ten seconds until the LED blinks white; the router then loads the latest firmware and your settings stay.",
  "Open the app, go to **Settings → Diagnostics** and run the line test. If it reports *sync errors*, the problem is in the line, not the box.",
  "Same here. It went away after I replaced the old Ethernet cable with a Cat 6 one.",
  "You can check for outages in your area on the status page, and subscribe to notifications there.",
  "In my experience the mesh repeaters need to be within two rooms of the router. Further away they fall back to a slow link.",
  "The first invoice covers the partial month plus the first full month in advance, so it is roughly twice the monthly price.",
  "Steps that worked for me:\n\n1. Unplug the box\n2. Wait 30 seconds\n3. Plug in the fibre cable first, then power",
  "Did you try disabling *band steering*? Some older laptops do not like it.",
  "Thanks for the report. We have passed this on to the network team and will update this topic when we know more.",
  "The setting moved in the last update: it is now under `Advanced → Network → DHCP`.",
  "+1, I would use this every month.",
];
const COMMENTS = [
  "That fixed it for me, thanks!",
  "Did not help here, unfortunately.",
  "Which firmware version are you on?",
  "Same problem since Monday.",
  "Good tip, I did not know that menu existed.",
  "Can confirm, this works.",
  "Where exactly is that setting?",
  "Worked after a second restart.",
];
const renderedComments = new Map(COMMENTS.map((body) => [body, renderMarkdown(body)]));

interface Variant {
  body: string;
  bodyHtml: string;
}

/** Bodies are rendered once per variant: a realistic mix of Markdown without rendering 150,000 posts. */
function renderVariants(
  count: number,
  rng: ReturnType<typeof random>,
  pool: readonly string[],
  minParts: number,
  maxParts: number,
): Variant[] {
  const variants: Variant[] = [];
  for (let i = 0; i < count; i++) {
    const parts = minParts + rng.int(maxParts - minParts + 1);
    const body = Array.from({ length: parts }, () => rng.pick(pool)).join("\n\n");
    variants.push({ body, bodyHtml: renderMarkdown(body) });
  }
  return variants;
}

/** Distinct users other than `exclude`, for votes and follows (each user votes once per post). */
function distinctUsers(rng: ReturnType<typeof random>, userCount: number, count: number, exclude: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) {
    const id = 1 + rng.int(userCount);
    if (id !== exclude) chosen.add(id);
  }
  return [...chosen];
}

/** SQLite binds at most 32,766 parameters per statement, PostgreSQL 65,535. */
const MAX_PARAMETERS = 30_000;

async function insertAll<T extends keyof Database & string>(
  db: Db,
  table: T,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]).length));
  for (let i = 0; i < rows.length; i += perChunk) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + perChunk))
      .execute();
  }
}

/**
 * Seeds one community with SEED_SIZE topics and their replies, comments, votes, follows and tags,
 * computing the counters on each row (reply_count, score, follower_count, last_activity_at,
 * accepted_reply_id) from the rows themselves, as the app's own writes keep them.
 */
export async function seed(db: Db, dialect: Dialect): Promise<SeedResult> {
  const started = performance.now();
  const rng = random(20260101);
  const now = Date.now();
  const yearMs = 365 * 24 * 3600 * 1000;
  const firstTopicAt = now - 2 * yearMs;
  const slug = "bench";

  // A real scrypt hash (one for everyone; scrypt is slow on purpose) of a password nobody knows.
  const passwordHash = await hashPassword(randomToken());
  const roleOf = (id: number): Role => (id === 1 ? "admin" : id <= 4 ? "moderator" : id <= 12 ? "staff" : "member");
  const users: Insertable<Database["users"]>[] = [];
  const memberships: Insertable<Database["memberships"]>[] = [];
  // The bench database is new: handles are allocated here, by the app's rule, without asking it.
  const handles = new Set<string>();
  for (let id = 1; id <= SEED_SIZE.users; id++) {
    const createdAt = firstTopicAt - yearMs + rng.int(yearMs);
    const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    const handle = firstFreeHandle(handleBase(name), (h) => handles.has(h));
    handles.add(handle);
    users.push({
      id,
      email: `user${id}@bench.test`,
      name,
      handle,
      passwordHash,
      isPlatformAdmin: 0,
      locale: null,
      signupIp: null,
      createdAt,
    });
    memberships.push({ communityId: 1, userId: id, role: roleOf(id), createdAt });
  }
  const isOfficial = (userId: number) => roleOf(userId) === "staff" || roleOf(userId) === "admin";

  const topicBodies = renderVariants(60, rng, PARAGRAPHS, 1, 4);
  const replyBodies = renderVariants(80, rng, ANSWERS, 1, 3);

  const topics: Insertable<Database["topics"]>[] = [];
  const topicTags: Insertable<Database["topicTags"]>[] = [];
  const replies: Insertable<Database["replies"]>[] = [];
  const comments: Insertable<Database["comments"]>[] = [];
  const votes: Insertable<Database["votes"]>[] = [];
  const follows: Insertable<Database["follows"]>[] = [];
  const typicalTopicIds: number[] = [];
  let replyId = 0;
  let commentId = 0;
  let solved = 0;
  let previousReplyCount = 0;

  for (let topicId = 1; topicId <= SEED_SIZE.topics; topicId++) {
    const authorId = 1 + rng.int(SEED_SIZE.users);
    const kind = rng.pick(KINDS);
    const createdAt = firstTopicAt + Math.floor(((topicId - 1) / SEED_SIZE.topics) * 2 * yearMs) + rng.int(3_600_000);
    // Pairs of topics share 2 x repliesPerTopic replies, so the total is exact and counts still vary.
    const max = 2 * SEED_SIZE.repliesPerTopic;
    const replyCount = topicId % 2 === 1 ? rng.int(max + 1) : max - previousReplyCount;
    previousReplyCount = replyCount;
    if (replyCount === SEED_SIZE.repliesPerTopic) typicalTopicIds.push(topicId);

    let lastActivityAt = createdAt;
    let best: { id: number; score: number } | null = null;
    let at = createdAt;
    let answerCount = 0;
    for (let r = 0; r < replyCount; r++) {
      replyId += 1;
      at = Math.min(now - 1000, at + 60_000 + rng.int(6 * 3_600_000));
      const replyAuthor = 1 + rng.int(SEED_SIZE.users);
      if (replyAuthor !== authorId) answerCount += 1;
      let score = 0;
      for (const userId of distinctUsers(rng, SEED_SIZE.users, rng.int(5), replyAuthor)) {
        const value = rng.next() < 0.85 ? 1 : -1;
        score += value;
        votes.push({ userId, targetType: "reply", targetId: replyId, value, createdAt: at + 60_000 });
      }
      const variant = rng.pick(replyBodies);
      replies.push({
        id: replyId,
        topicId,
        authorId: replyAuthor,
        body: variant.body,
        bodyHtml: variant.bodyHtml,
        official: isOfficial(replyAuthor) ? 1 : 0,
        score,
        createdAt: at,
        editedAt: null,
      });
      lastActivityAt = Math.max(lastActivityAt, at);
      if (!best || score > best.score) best = { id: replyId, score };
      if (rng.next() < 0.25) {
        for (let c = 1 + rng.int(2); c > 0; c--) {
          commentId += 1;
          const commentAt = Math.min(now - 1000, at + 60_000 + rng.int(3_600_000));
          const body = rng.pick(COMMENTS);
          comments.push({
            id: commentId,
            replyId,
            authorId: 1 + rng.int(SEED_SIZE.users),
            body,
            bodyHtml: renderedComments.get(body)!,
            createdAt: commentAt,
          });
          lastActivityAt = Math.max(lastActivityAt, commentAt);
        }
      }
    }

    let score = 0;
    for (const userId of distinctUsers(rng, SEED_SIZE.users, rng.int(8), authorId)) {
      const value = rng.next() < 0.9 ? 1 : -1;
      score += value;
      votes.push({ userId, targetType: "topic", targetId: topicId, value, createdAt: createdAt + 60_000 });
    }
    const followers = distinctUsers(rng, SEED_SIZE.users, rng.int(4), authorId);
    for (const userId of followers) follows.push({ topicId, userId, createdAt: createdAt + 120_000 });
    const tags = [...new Set(Array.from({ length: 1 + rng.int(3) }, () => rng.pick(TAGS)))];
    for (const tag of tags) topicTags.push({ topicId, communityId: 1, tag });
    const accepted = best && (kind === "question" || kind === "problem") && rng.next() < 0.4 ? best.id : null;
    if (accepted) solved += 1;
    const variant = rng.pick(topicBodies);
    topics.push({
      id: topicId,
      communityId: 1,
      categoryId: rng.next() < 0.05 ? null : 1 + rng.int(SEED_SIZE.categories),
      authorId,
      kind,
      title: `${rng.pick(SUBJECTS)} ${rng.pick(PROBLEMS)} ${rng.pick(CONTEXTS)}`,
      body: variant.body,
      bodyHtml: variant.bodyHtml,
      tags: JSON.stringify(tags),
      score,
      replyCount,
      answerCount,
      followerCount: followers.length,
      acceptedReplyId: accepted,
      createdAt,
      lastActivityAt,
      editedAt: null,
    });
  }

  await db.transaction().execute(async (trx) => {
    await insertAll(trx, "users", users);
    await insertAll(trx, "communities", [
      {
        id: 1,
        slug,
        name: "Bench Telecom",
        description: "Seeded by npm run bench.",
        visibility: "public",
        locale: "en",
        createdAt: firstTopicAt - yearMs,
      },
    ]);
    await insertAll(trx, "memberships", memberships);
    await insertAll(
      trx,
      "categories",
      CATEGORIES.slice(0, SEED_SIZE.categories).map((name, i) => ({
        id: i + 1,
        communityId: 1,
        slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
        name,
        description: "",
        position: i,
      })),
    );
    await insertAll(trx, "topics", topics);
    await insertAll(trx, "topicTags", topicTags);
    await insertAll(trx, "replies", replies);
    await insertAll(trx, "comments", comments);
    await insertAll(trx, "votes", votes);
    await insertAll(trx, "follows", follows);
    if (dialect === "postgres") {
      // Rows were inserted with explicit ids: move the serial sequences past them.
      for (const table of ["users", "communities", "categories", "topics", "replies", "comments"]) {
        await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(
          trx,
        );
      }
    }
  });
  // Autovacuum would gather planner statistics within a minute of a bulk load; do it now.
  if (dialect === "postgres") await sql`analyze`.execute(db);

  return {
    slug,
    counts: {
      users: users.length,
      topics: topics.length,
      replies: replies.length,
      comments: comments.length,
      votes: votes.length,
      follows: follows.length,
      tags: topicTags.length,
      solved,
    },
    typicalTopicIds,
    typicalTopicPaths: typicalTopicIds.map((id) => topicPath(slug, id, topics[id - 1].title)),
    seconds: (performance.now() - started) / 1000,
  };
}
