import type { Deps } from "../core/deps.ts";
import type { DeflectionEventType, TopicKind } from "../db/schema.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import { recordDeflectionEvent } from "../search/index.ts";
import { insertWithHandle } from "../accounts/index.ts";
import { measureExpectations } from "./insights.jobs.ts";
import { saveInsightsSettings } from "./insights.settings.ts";
import { DAY_MS } from "../lib/durations.ts";

const MINUTE = 60_000;
const HISTORY_DAYS = 120;

const SUBJECTS = [
  { what: "Router", tag: "router" },
  { what: "Wi-Fi", tag: "wifi" },
  { what: "TV box", tag: "tv-box" },
  { what: "Mobile data", tag: "mobile" },
  { what: "Invoice", tag: "billing" },
];
const CUSTOMERS = ["Nora", "Leo", "Mia", "Jonas", "Elena", "Marco", "Lea", "Tim", "Sofia", "Noah"];
const PROBLEMS = [
  "drops every evening",
  "is slow after the update",
  "shows error E-102",
  "stopped working",
  "keeps restarting",
];

/** A fixed pseudo-random sequence, so every demo shows the same history. */
function sequence(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/**
 * Four months of history for the demo community's Insights page: questions and problems
 * every day (more about Wi-Fi lately, so it trends), answers by members and staff after minutes
 * to hours, solutions, escalations, searches and deflected visits, and a cost per contact.
 * Rows are written directly with past times; the search index picks the topics up at start.
 */
export async function seedInsightsDemo(
  deps: Deps,
  community: { id: number; categoryIds: number[] },
  people: { staff: number; passwordHash: string },
): Promise<void> {
  const random = sequence(13);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const now = deps.clock.now();
  const start = now - HISTORY_DAYS * DAY_MS;
  // Customers of their own, joining over the months, so the featured demo members' profiles stay as they are.
  const customers: number[] = [];
  for (const [i, name] of CUSTOMERS.entries()) {
    const joined = start + Math.floor((i / CUSTOMERS.length) * (HISTORY_DAYS - 30)) * DAY_MS;
    const user = await insertWithHandle(deps.db, name, (handle) =>
      deps.db
        .insertInto("users")
        .values({
          email: `${name.toLowerCase()}@customers.demo.test`,
          name,
          handle,
          passwordHash: people.passwordHash,
          isPlatformAdmin: 0,
          locale: null,
          signupIp: null,
          createdAt: joined,
        })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    await deps.db
      .insertInto("memberships")
      .values({ communityId: community.id, userId: user.id, role: "member", createdAt: joined })
      .execute();
    customers.push(user.id);
  }
  for (let day = 0; day < HISTORY_DAYS; day++) {
    const dayStart = start + day * DAY_MS;
    const recent = day > HISTORY_DAYS - 21;
    const count = 2 + Math.floor(random() * 4) + (recent ? 2 : 0);
    for (let i = 0; i < count; i++) {
      const createdAt = dayStart + Math.floor((7 + random() * 14) * 60) * MINUTE;
      const subject = recent && random() < 0.5 ? SUBJECTS[1] : pick(SUBJECTS);
      // Questions and problems only: the ideas board has a demo of its own.
      const kind: TopicKind = random() < 0.3 ? "problem" : "question";
      const title = `${subject.what} ${pick(PROBLEMS)}`;
      const since = new Date(createdAt).toISOString().slice(0, 10);
      const body = `Since ${since} my ${subject.what.toLowerCase()} ${pick(PROBLEMS)}.`;
      const author = pick(customers);
      const answered = random() < 0.85;
      const firstAfter = Math.floor(10 + random() * random() * 600) * MINUTE;
      const byStaff = random() < 0.3;
      const solved = answered && random() < 0.6;
      const lastActivityAt = answered ? createdAt + firstAfter : createdAt;
      if (lastActivityAt > now) continue;
      const topic = await deps.db
        .insertInto("topics")
        .values({
          communityId: community.id,
          categoryId: subject.tag === "billing" ? community.categoryIds[3] : pick(community.categoryIds.slice(0, 3)),
          authorId: author,
          kind,
          title,
          body,
          bodyHtml: renderMarkdown(body),
          tags: JSON.stringify([subject.tag]),
          score: 0,
          replyCount: answered ? 1 : 0,
          answerCount: answered ? 1 : 0,
          followerCount: 0,
          acceptedReplyId: null,
          createdAt,
          lastActivityAt,
          editedAt: null,
          escalatedAt: !answered && random() < 0.4 ? createdAt + DAY_MS : null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await deps.db
        .insertInto("topicTags")
        .values({ topicId: topic.id, communityId: community.id, tag: subject.tag })
        .execute();
      if (!answered) continue;
      const replyBody = byStaff
        ? "We checked your line and reset it from our side."
        : "Restart it and check the cable first.";
      const reply = await deps.db
        .insertInto("replies")
        .values({
          topicId: topic.id,
          authorId: byStaff ? people.staff : pick(customers.filter((m) => m !== author)),
          body: replyBody,
          bodyHtml: renderMarkdown(replyBody),
          official: byStaff ? 1 : 0,
          score: 0,
          createdAt: createdAt + firstAfter,
          editedAt: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (solved)
        await deps.db.updateTable("topics").set({ acceptedReplyId: reply.id }).where("id", "=", topic.id).execute();
    }
    // Visitors: searches, suggestions, and the visits they answered (one open, no post).
    const visits = 3 + Math.floor(random() * 6) + Math.floor(day / 20);
    for (let v = 0; v < visits; v++) {
      const at = dayStart + Math.floor((8 + random() * 12) * 60) * MINUTE;
      if (at + 31 * MINUTE > now) continue;
      const visitId = `demo-visit-${day}-${v}`;
      const events: DeflectionEventType[] = ["search_shown", "suggestion_shown"];
      if (random() < 0.45) events.push("suggestion_opened");
      for (const [k, type] of events.entries()) {
        const then = { db: deps.db, clock: { now: () => at + k * MINUTE } };
        await recordDeflectionEvent(then, { communityId: community.id, type, visitId, userId: null });
      }
    }
  }
  await saveInsightsSettings(deps, community.id, {
    costPerContactCents: 1200,
    currency: "CHF",
    timezone: "Europe/Zurich",
  });
  await measureExpectations(deps);
}
