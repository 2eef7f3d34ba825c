import type { Deps } from "../core/deps.ts";
import type { Community } from "../db/schema.ts";
import { validationFailed } from "../core/errors.ts";
import { toOneLine } from "../lib/one-line.ts";
import { createCommunityBody } from "../communities/index.ts";
import { ensureIndexed } from "../search/index.ts";
import { rebuildCommunityExpertise } from "../routing/index.ts";
import { forgetRollups } from "../insights/index.ts";
import { answerCountOf } from "../topics/index.ts";

/** How far a long step got: `done` of `total` units (bytes of a file, topics, rows). */
export interface Progress {
  phase: string;
  done: number;
  total: number;
}

/** The community with this address, created (public, English) when missing. */
export async function ensureCommunity(
  deps: Pick<Deps, "db" | "clock">,
  slug: string,
  name: string,
): Promise<{ community: Community; created: boolean }> {
  // Made one line, as community names are; one too long is refused like an empty one.
  const parsed = createCommunityBody.safeParse({ slug, name: toOneLine(name) });
  if (!parsed.success)
    throw validationFailed(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
  const existing = await deps.db
    .selectFrom("communities")
    .selectAll()
    .where("slug", "=", parsed.data.slug)
    .executeTakeFirst();
  if (existing) return { community: existing, created: false };
  const community = await deps.db
    .insertInto("communities")
    .values({ ...parsed.data, createdAt: deps.clock.now() })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { community, created: true };
}

/**
 * After rows were written directly: the counters kept on topics are recounted, the insights
 * rollups forgotten (the import wrote history into days already rolled up; they are read live until
 * rolled up again), then the community is indexed for search and its expertise model built, each
 * once for the whole import.
 */
export async function finishImport(
  deps: Deps,
  communityId: number,
  onProgress?: (progress: Progress) => void,
): Promise<void> {
  await deps.db
    .updateTable("topics")
    .set((eb) => ({
      replyCount: eb
        .selectFrom("replies")
        .select((r) => r.fn.countAll<number>().as("n"))
        .whereRef("replies.topicId", "=", "topics.id")
        .where("replies.moderationState", "=", "visible"),
      answerCount: answerCountOf(eb),
      followerCount: eb
        .selectFrom("follows")
        .select((f) => f.fn.countAll<number>().as("n"))
        .whereRef("follows.topicId", "=", "topics.id"),
    }))
    .where("communityId", "=", communityId)
    .execute();
  await forgetRollups(deps, communityId);
  const topics = await deps.db
    .selectFrom("topics")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("communityId", "=", communityId)
    .executeTakeFirstOrThrow();
  await ensureIndexed(deps, {
    communityId,
    onProgress: (done) => onProgress?.({ phase: "Search index", done, total: Number(topics.n) }),
  });
  await rebuildCommunityExpertise(deps, communityId, (done, total) =>
    onProgress?.({ phase: "Expertise", done, total }),
  );
}
