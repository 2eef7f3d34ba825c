import type { Tx } from "../core/transaction.ts";
import type { ModerationState, PostType } from "../db/schema.ts";

/** The post whose moderation changes (setPostState, topics.state.ts), with its state before. */
interface PostState {
  type: PostType;
  id: number;
  topicId: number;
  state: ModerationState;
}

/**
 * When a reply or comment last made its topic active: its own posting, or for a reply the latest
 * comment shown under it.
 */
async function postActivityAt(tx: Tx, post: PostState): Promise<number> {
  const own = await tx.db
    .selectFrom(post.type === "reply" ? "replies" : "comments")
    .select("createdAt")
    .where("id", "=", post.id)
    .executeTakeFirstOrThrow();
  if (post.type !== "reply") return Number(own.createdAt);
  const comments = await tx.db
    .selectFrom("comments")
    .select((eb) => eb.fn.max("createdAt").as("at"))
    .where("replyId", "=", post.id)
    .where("moderationState", "=", "visible")
    .executeTakeFirst();
  return Math.max(Number(own.createdAt), Number(comments?.at ?? 0));
}

/**
 * The latest activity a reader of the topic can see: the question asked or edited, its visible
 * replies, the visible comments on the question or on a visible reply, and the latest acceptance
 * (or withdrawal) or merge, which no post keeps (lastEventAt).
 */
async function latestVisibleActivity(tx: Tx, topicId: number): Promise<number> {
  const topic = await tx.db
    .selectFrom("topics")
    .select(["createdAt", "editedAt", "lastEventAt"])
    .where("id", "=", topicId)
    .executeTakeFirstOrThrow();
  const reply = await tx.db
    .selectFrom("replies")
    .select((eb) => eb.fn.max("createdAt").as("at"))
    .where("topicId", "=", topicId)
    .where("moderationState", "=", "visible")
    .executeTakeFirst();
  const comment = await tx.db
    .selectFrom("comments")
    .leftJoin("replies", "replies.id", "comments.replyId")
    .select((eb) => eb.fn.max("comments.createdAt").as("at"))
    .where("comments.moderationState", "=", "visible")
    .where((eb) =>
      eb.or([
        eb("comments.topicId", "=", topicId),
        eb.and([eb("replies.topicId", "=", topicId), eb("replies.moderationState", "=", "visible")]),
      ]),
    )
    .executeTakeFirst();
  return Math.max(
    Number(topic.createdAt),
    Number(topic.editedAt ?? 0),
    Number(topic.lastEventAt ?? 0),
    Number(reply?.at ?? 0),
    Number(comment?.at ?? 0),
  );
}

/**
 * A topic's last activity (the list's "active" time and order) follows what its readers see: a
 * reply or comment hidden or deleted that was its latest post takes it back to the latest post
 * still shown, or to a later acceptance (or withdrawal) or merge, which the topic remembers
 * (lastEventAt, migration 043; unknown for one made before, which is rolled back past as it was);
 * restored, the post brings its time back. Approving a held post moves the topic up as just posted
 * (setPostState), after this: that is the post's own activity, not an event kept, so hiding it
 * again takes the topic back.
 */
export async function followActivity(tx: Tx, post: PostState, state: ModerationState): Promise<void> {
  if (state === "visible") {
    const at = await postActivityAt(tx, post);
    await tx.db
      .updateTable("topics")
      .set({ lastActivityAt: at })
      .where("id", "=", post.topicId)
      .where("lastActivityAt", "<", at)
      .execute();
    return;
  }
  // Held or hidden before: nobody saw it, so it holds no time the topic shows.
  if (post.state !== "visible") return;
  const latest = await latestVisibleActivity(tx, post.topicId);
  if ((await postActivityAt(tx, post)) < latest) return;
  await tx.db
    .updateTable("topics")
    .set({ lastActivityAt: latest })
    .where("id", "=", post.topicId)
    .where("lastActivityAt", ">", latest)
    .execute();
}
