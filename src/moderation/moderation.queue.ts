import type { Deps } from "../core/deps.ts";
import type { PostType, ReviewStatus } from "../db/schema.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { conflict, forbidden, notFound, validationFailed } from "../core/errors.ts";
import { sql, type SqlBool } from "kysely";
import { categoryAllowsSql, commentTopicIdSql, replyById, topicViewer } from "../topics/index.ts";
import { applyReplyEdit, applyTopicEdit } from "../topics/index.ts";
import { canReview, mayJudgePost, REVIEW_ACTIONS } from "./moderation.policy.ts";
import { assertMayJudge, decidePost, loadPost } from "./moderation.posts.ts";
import { warn } from "./moderation.members.ts";
import type { ReviewInput } from "./moderation.schema.ts";
import { assertNotSuspended } from "../access/access.ts";
import { iso } from "../lib/iso-time.ts";

/**
 * The review queue: posts held for approval (a new member's first posts, likely spam) and flagged
 * posts, for moderators and members with the review privilege, of the categories they may read
 * (topics.visibility.ts). A handful of queries per page
 * whatever its length: the items, their posts by type, their flags.
 */
const excerpt = (text: string) => (text.length > 300 ? `${text.slice(0, 297)}...` : text);

/** The topic a queue item's post belongs to, as SQL on the review_queue row. */
const topicOfItem = sql`case review_queue.target_type
  when 'topic' then review_queue.target_id
  when 'reply' then (select r.topic_id from replies r where r.id = review_queue.target_id)
  else (select coalesce(c.topic_id, r.topic_id) from comments c left join replies r on r.id = c.reply_id
    where c.id = review_queue.target_id) end`;

async function postsOf(deps: Deps, items: { targetType: PostType; targetId: number }[]) {
  const ids = (type: PostType) => [...new Set(items.filter((i) => i.targetType === type).map((i) => i.targetId))];
  const none = [-1];
  const [topics, replies, comments] = await Promise.all([
    deps.db
      .selectFrom("topics")
      .select(["topics.id", "topics.id as topicId", "topics.title", "topics.body", "topics.moderationState"])
      .where("topics.id", "in", ids("topic").length ? ids("topic") : none)
      .execute(),
    deps.db
      .selectFrom("replies")
      .innerJoin("topics", "topics.id", "replies.topicId")
      .select(["replies.id", "topics.id as topicId", "topics.title", "replies.body", "replies.moderationState"])
      .where("replies.id", "in", ids("reply").length ? ids("reply") : none)
      .execute(),
    deps.db
      .selectFrom("comments")
      .leftJoin("replies", "replies.id", "comments.replyId")
      .innerJoin("topics", (j) => j.on("topics.id", "=", commentTopicIdSql))
      .select(["comments.id", "topics.id as topicId", "topics.title", "comments.body", "comments.moderationState"])
      .where("comments.id", "in", ids("comment").length ? ids("comment") : none)
      .execute(),
  ]);
  const byKey = new Map<string, (typeof topics)[number]>();
  for (const [type, rows] of [
    ["topic", topics],
    ["reply", replies],
    ["comment", comments],
  ] as const)
    for (const r of rows) byKey.set(`${type}:${r.id}`, r);
  return byKey;
}

export async function listQueue(
  deps: Deps,
  baseAccess: CommunityAccess,
  input: { status: ReviewStatus; before?: number; limit: number },
) {
  const access = await baseAccess;
  if (!can(access, "review.queue"))
    throw forbidden("Only moderators and members with enough kudos can see the review queue.");
  let query = deps.db
    .selectFrom("reviewQueue")
    .innerJoin("users as author", "author.id", "reviewQueue.authorId")
    .select([
      "reviewQueue.id",
      "reviewQueue.targetType",
      "reviewQueue.targetId",
      "reviewQueue.reason",
      "reviewQueue.details",
      "reviewQueue.status",
      "reviewQueue.createdAt",
      "reviewQueue.authorId",
      "author.name as authorName",
    ])
    .where("reviewQueue.communityId", "=", access.community.id)
    .where("reviewQueue.status", "=", input.status)
    .where(sql<SqlBool>`not exists (select 1 from topics qt where qt.id = ${topicOfItem}
      and not ${categoryAllowsSql(topicViewer(access), "qt")})`)
    .orderBy("reviewQueue.id", input.status === "open" ? "asc" : "desc")
    .limit(input.limit + 1);
  if (input.before) query = query.where("reviewQueue.id", input.status === "open" ? ">" : "<", input.before);
  const rows = await query.execute();
  const items = rows.slice(0, input.limit);
  const [posts, flags] = await Promise.all([
    postsOf(deps, items),
    items.length
      ? deps.db
          .selectFrom("postFlags")
          .innerJoin("users", "users.id", "postFlags.userId")
          .select([
            "postFlags.targetType",
            "postFlags.targetId",
            "postFlags.reason",
            "postFlags.text",
            "postFlags.trusted",
            "postFlags.status",
            "postFlags.createdAt",
            "users.id as userId",
            "users.name",
          ])
          .where("postFlags.communityId", "=", access.community.id)
          .where((eb) =>
            eb.or(
              items.map((i) =>
                eb.and([eb("postFlags.targetType", "=", i.targetType), eb("postFlags.targetId", "=", i.targetId)]),
              ),
            ),
          )
          .orderBy("postFlags.id")
          .execute()
      : [],
  ]);
  const slug = access.community.slug;
  const allowed = REVIEW_ACTIONS.filter((action) => canReview(access, action));
  return {
    items: items.map((item) => {
      const post = posts.get(`${item.targetType}:${item.targetId}`);
      const anchor = item.targetType === "topic" ? "" : `#${item.targetType}-${item.targetId}`;
      return {
        id: item.id,
        reason: item.reason,
        status: item.status,
        details: JSON.parse(item.details) as { signals?: string[] },
        createdAt: iso(item.createdAt),
        /** The actions the viewer may take on this item: none on their own post (mayJudgePost). */
        allowed: mayJudgePost(access, item) ? allowed : [],
        post: {
          type: item.targetType,
          id: item.targetId,
          state: post?.moderationState ?? "deleted",
          topic: post ? { id: post.topicId, title: post.title } : null,
          excerpt: excerpt(post?.body ?? ""),
          /** The whole text, for the edit form: saving the excerpt would cut the post short. */
          body: post?.body ?? "",
          url: post ? `/c/${slug}/t/${post.topicId}${anchor}` : null,
          author: { id: item.authorId, name: item.authorName },
        },
        flags: flags
          .filter((f) => f.targetType === item.targetType && f.targetId === item.targetId)
          .map((f) => ({
            reason: f.reason,
            text: f.text,
            trusted: Boolean(f.trusted),
            status: f.status,
            by: { id: f.userId, name: f.name },
            createdAt: iso(f.createdAt),
          })),
      };
    }),
    nextCursor: rows.length > input.limit ? items[items.length - 1].id : null,
    /** The actions the viewer may take on others' items; each item's `allowed` is what the page offers. */
    allowed,
  };
}

export type QueueItem = Awaited<ReturnType<typeof listQueue>>["items"][number];

/**
 * Acts on a queue item: approve, hide, delete or edit (then approve) its post, or warn its author
 * (the item stays open). Each needs its privilege (moderation.policy REVIEW_ACTION_PRIVILEGE), and
 * nobody but an admin acts on an item about their own post (mayJudgePost).
 */
export async function resolveItem(deps: Deps, baseAccess: CommunityAccess, itemId: number, input: ReviewInput) {
  const access = await baseAccess;
  assertNotSuspended(access);
  if (!canReview(access, input.action)) throw forbidden(`You may not ${input.action} posts from the review queue.`);
  const item = await deps.db
    .selectFrom("reviewQueue")
    .selectAll()
    .where("id", "=", itemId)
    .where("communityId", "=", access.community.id)
    .executeTakeFirst();
  if (!item) throw notFound("Review item");
  if (item.status !== "open") throw conflict(`This item was already resolved (${item.status}).`);
  const { post, topic } = await loadPost(deps, item.targetType, item.targetId, access.actor);
  // Whatever the action: resolving the item about one's own post is for someone else.
  assertMayJudge(access, post);
  const reason = input.reason ?? "";
  switch (input.action) {
    case "warn":
      if (!reason) throw validationFailed({ reason: "Say what the warning is about." });
      await warn(deps, access, post.authorId, reason, { type: post.type, id: post.id, url: post.url });
      return { itemId, status: "open" as ReviewStatus, warned: true };
    case "edit": {
      if (post.type === "comment") throw validationFailed({ body: "Comments cannot be edited; hide or delete them." });
      const editor = access.actor!.id;
      const reply = post.type === "reply" ? await replyById(deps, post.id) : undefined;
      await decidePost(deps, access, post, "approve", {
        reason,
        reviewItemId: itemId,
        auditAction: "post.edit",
        before: (tx) =>
          reply
            ? applyReplyEdit(tx, reply, editor, input.body ?? reply.body)
            : applyTopicEdit(tx, topic, editor, { title: input.title, body: input.body }),
      });
      return { itemId, status: "approved" as ReviewStatus };
    }
    default: {
      const { state } = await decidePost(deps, access, post, input.action, { reason, reviewItemId: itemId });
      return {
        itemId,
        status: (input.action === "approve"
          ? "approved"
          : input.action === "hide"
            ? "hidden"
            : "deleted") as ReviewStatus,
        postState: state,
      };
    }
  }
}
