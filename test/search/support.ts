import assert from "node:assert/strict";
import { loadConfig } from "../../src/core/config.ts";
import { indexTopic } from "../../src/search/search.index.ts";
import { buildReply, buildTopic, type TestEnv, type TestUser } from "../helpers.ts";

/** Search suites post many topics: the posting rate limit would get in the way. */
export const roomyLimits = { rateLimits: { ...loadConfig({}).rateLimits, post: { max: 100_000, windowMs: 60_000 } } };

export interface TopicSpec {
  title: string;
  body?: string;
  kind?: string;
  tags?: string[];
  categoryId?: number;
  /** Reply bodies, posted by `helper`. */
  replies?: string[];
  /** Index of the reply to accept (by the asker). */
  accept?: number;
}

/**
 * Posts a topic through the API (replies and an accepted answer too) and indexes it, as the
 * lead's wiring does after every change.
 */
export async function postIndexed(env: TestEnv, slug: string, asker: TestUser, helper: TestUser, spec: TopicSpec) {
  const { replies = [], accept, ...props } = spec;
  const topic = await buildTopic(env, slug, asker, { body: "Details follow.", ...props });
  const replyIds: number[] = [];
  for (const body of replies) replyIds.push((await buildReply(env, topic.id, helper, body)).id);
  if (accept !== undefined) {
    const res = await env.api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: replyIds[accept] }, asker.auth);
    if (res.status !== 200) throw new Error(`accept failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await indexTopic(env.deps, topic.id);
  return { id: topic.id as number, replyIds, url: topic.url as string };
}

/** Unrelated topics, as any community has: bm25 needs a corpus to tell rare words from common ones. */
/** A solved topic about voicemail abroad and the article an admin promoted from it. */
export async function promotedArticle(env: TestEnv, slug: string, admin: TestUser, asker: TestUser, helper: TestUser) {
  const solved = await postIndexed(env, slug, asker, helper, {
    title: "Voicemail stopped working abroad",
    replies: ["Dial 121 and switch roaming voicemail on."],
    accept: 0,
  });
  const created = await env.api.post(`/api/v1/communities/${slug}/articles`, { sourceTopicId: solved.id }, admin.auth);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { solved, articleId: created.body.article.id as number };
}

export async function postFillers(env: TestEnv, slug: string, asker: TestUser, helper: TestUser): Promise<void> {
  for (const title of [
    "Fibre installation date",
    "Router firmware update",
    "Contract cancellation fee",
    "Data plan upgrade",
    "Lost phone blocking",
    "Invoice copy request",
  ]) {
    await postIndexed(env, slug, asker, helper, { title, body: "Please help with this." });
  }
}

export async function setLocale(env: TestEnv, communityId: number, locale: string): Promise<void> {
  await env.deps.db.updateTable("communities").set({ locale }).where("id", "=", communityId).execute();
}

export const searchUrl = (slug: string, params: Record<string, string>) =>
  `/api/v1/communities/${slug}/search?${new URLSearchParams(params)}`;

/** Titles of the topic results, in order. */
export const titles = (body: { results: { topic: { title: string } | null; article: { title: string } | null }[] }) =>
  body.results.map((r) => r.topic?.title ?? r.article?.title);
