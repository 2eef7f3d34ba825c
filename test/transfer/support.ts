import path from "node:path";
import type { Db } from "../../src/db/database.ts";

/** The small hand-made Stack Exchange dump the tests import (every kind of row, in the real format). */
export const FIXTURE_DUMP = path.join(import.meta.dirname, "../fixtures/stackexchange/demo.stackexchange.com");

/**
 * What an import left in a community, independent of local ids: each topic by its source id with
 * its replies and comments, and the number of rows per table. Two imports of the same dump must
 * give equal snapshots.
 */
export async function communitySnapshot(db: Db, slug: string) {
  const community = await db.selectFrom("communities").select("id").where("slug", "=", slug).executeTakeFirst();
  const communityId = community?.id ?? -1;
  const topics = await db
    .selectFrom("topics")
    .innerJoin("topicSources", "topicSources.topicId", "topics.id")
    .innerJoin("users", "users.id", "topics.authorId")
    .leftJoin("topicDuplicates", "topicDuplicates.topicId", "topics.id")
    .leftJoin("topicSources as original", "original.topicId", "topicDuplicates.originalId")
    .leftJoin("replies as accepted", "accepted.id", "topics.acceptedReplyId")
    .select([
      "topics.id",
      "topicSources.externalId as source",
      "topicSources.url",
      "topics.title",
      "topics.body",
      "topics.bodyHtml",
      "topics.tags",
      "topics.score",
      "topics.replyCount",
      "topics.followerCount",
      "topics.createdAt",
      "topics.lastActivityAt",
      "topics.editedAt",
      "users.name as author",
      "accepted.body as acceptedBody",
      "original.externalId as duplicateOf",
    ])
    .where("topics.communityId", "=", communityId)
    .orderBy("topicSources.externalId")
    .execute();
  const replies = await db
    .selectFrom("replies")
    .innerJoin("users", "users.id", "replies.authorId")
    .select(["replies.id", "replies.topicId", "replies.body", "replies.score", "replies.createdAt", "users.name"])
    .where(
      "replies.topicId",
      "in",
      topics.map((t) => t.id),
    )
    .orderBy("replies.createdAt")
    .execute();
  const comments = await db
    .selectFrom("comments")
    .innerJoin("users", "users.id", "comments.authorId")
    .select(["comments.replyId", "comments.topicId", "comments.body", "comments.createdAt", "users.name"])
    .where((eb) =>
      eb.or([
        eb(
          "comments.replyId",
          "in",
          replies.map((r) => r.id),
        ),
        eb(
          "comments.topicId",
          "in",
          topics.map((t) => t.id),
        ),
      ]),
    )
    .orderBy("comments.createdAt")
    .execute();
  const count = async (table: "memberships" | "externalIds" | "topicTags") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .where("communityId", "=", communityId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    counts: {
      topics: topics.length,
      replies: replies.length,
      comments: comments.length,
      memberships: await count("memberships"),
      externalIds: await count("externalIds"),
      topicTags: await count("topicTags"),
    },
    topics: topics.map(({ id, ...topic }) => ({
      ...topic,
      comments: comments.filter((c) => c.topicId === id).map((c) => ({ body: c.body, author: c.name })),
      replies: replies
        .filter((r) => r.topicId === id)
        .map((r) => ({
          body: r.body,
          score: r.score,
          createdAt: r.createdAt,
          author: r.name,
          comments: comments.filter((c) => c.replyId === r.id).map((c) => ({ body: c.body, author: c.name })),
        })),
    })),
  };
}
