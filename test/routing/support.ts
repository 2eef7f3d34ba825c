import assert from "node:assert/strict";
import { loadConfig } from "../../src/core/config.ts";
import { buildCommunity, buildReply, buildTopic, type TestEnv, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";

/** Routing and escalation suites post many topics: the posting rate limit would get in the way. */
export const roomyLimits = { rateLimits: { ...loadConfig({}).rateLimits, post: { max: 100_000, windowMs: 60_000 } } };

let serial = 0;
/** A text no other post has, so spam screening (the same text posted again and again) never holds a test post. */
export const unique = (text: string) => `${text} (${++serial})`;

/** Posts a question through the API with a text of its own. */
export function ask(env: TestEnv, slug: string, asker: TestUser, props: Record<string, unknown> = {}) {
  return buildTopic(env, slug, asker, {
    title: unique("Router keeps dropping the line"),
    body: unique("Since Monday it happens every evening."),
    ...props,
  });
}

export function answer(env: TestEnv, topicId: number, author: TestUser) {
  return buildReply(env, topicId, author, unique("Restart it and check the cable."));
}

/**
 * Gives `expert` a history in some tags: `count` questions by `asker`, each answered by the
 * expert (accepted when `accepted`), then runs the queue so expertise and routing settle.
 */
export async function buildHistory(
  env: TestEnv,
  slug: string,
  asker: TestUser,
  expert: TestUser,
  tags: string[],
  count = 1,
  accepted = true,
) {
  for (let i = 0; i < count; i++) {
    const topic = await ask(env, slug, asker, { title: unique(`Earlier question about ${tags.join(" and ")}`), tags });
    const reply = await answer(env, topic.id, expert);
    if (accepted) await env.api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
  }
  await drainJobs(env);
}

/** The ids of the members a topic is currently offered to (not expired), in id order. */
export async function routedTo(env: TestEnv, topicId: number): Promise<number[]> {
  const rows = await env.deps.db
    .selectFrom("topicRoutes")
    .select("userId")
    .where("topicId", "=", topicId)
    .where("expiredAt", "is", null)
    .orderBy("userId")
    .execute();
  return rows.map((r) => r.userId);
}

export const questionsFor = async (env: TestEnv, user: TestUser) =>
  ((await env.api.get("/api/v1/me/questions-for-you", user.auth)).body.questions as { topic: { id: number } }[]).map(
    (q) => q.topic.id,
  );

export const ids = (list: number[]) => [...list].sort((a, b) => a - b);

/** Who holds a `routed` notification about the topic, in id order. */
export async function notifiedOf(env: TestEnv, topicId: number, users: TestUser[]): Promise<number[]> {
  const rows = await env.deps.db
    .selectFrom("notifications")
    .select("userId")
    .where("kind", "=", "routed")
    .where("topicId", "=", topicId)
    .where(
      "userId",
      "in",
      users.map((u) => u.id),
    )
    .execute();
  return ids(rows.map((r) => r.userId));
}

/**
 * A community routing each question to one expert per round (re-routed after an hour), with
 * three experts ranked first, second and third in `tag`, and a member to ask.
 */
export async function oneExpertPerRound(env: TestEnv, tag: string) {
  const { slug, admin, members } = await buildCommunity(env, { members: { member: 5 } });
  const [asker, first, second, third, poster] = members.member;
  await env.api.put(
    `/api/v1/communities/${slug}/routing/settings`,
    { experts: 1, rerouteAfterMinutes: 60 },
    admin.auth,
  );
  await buildHistory(env, slug, asker, first, [tag], 3);
  await buildHistory(env, slug, asker, second, [tag], 2);
  await buildHistory(env, slug, asker, third, [tag], 1);
  return { slug, admin, asker, first, second, third, poster };
}

/** Makes the question's second round fall due now, and only it (not the timers of other tests' questions). */
export async function secondRoundDueNow(env: TestEnv, topicId: number): Promise<void> {
  const due = await env.deps.db
    .updateTable("jobs")
    .set({ runAt: env.clock.now() })
    .where("dedupeKey", "=", `route:${topicId}:1`)
    .where("status", "=", "pending")
    .executeTakeFirst();
  assert.equal(Number(due.numUpdatedRows), 1);
}
