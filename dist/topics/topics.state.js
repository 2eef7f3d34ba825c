import { sql } from "kysely";
import { emit } from "../jobs/events.js";
/**
 * The changes other domains make to topics (moderation, escalation, duplicates), as use cases of
 * the topics domain: each takes the caller's transaction, changes the rows and emits its event.
 * The caller checks who may do it and records its own side (audit log, notices to members).
 */
const TABLE = { topic: "topics", reply: "replies", comment: "comments" };
/** Sets a topic's reply count to its visible replies. */
export async function recountReplies(tx, topicId) {
    await tx.db
        .updateTable("topics")
        .set((eb) => ({
        replyCount: eb
            .selectFrom("replies")
            .select((r) => r.fn.countAll().as("n"))
            .where("replies.topicId", "=", topicId)
            .where("replies.moderationState", "=", "visible"),
    }))
        .where("id", "=", topicId)
        .execute();
}
async function recountFollowers(tx, topicId, lastActivityAt) {
    const updated = await tx.db
        .updateTable("topics")
        .set((eb) => ({
        followerCount: eb
            .selectFrom("follows")
            .select((f) => f.fn.countAll().as("n"))
            .where("follows.topicId", "=", topicId),
        ...(lastActivityAt === undefined ? {} : { lastActivityAt }),
    }))
        .where("id", "=", topicId)
        .returning("followerCount")
        .executeTakeFirstOrThrow();
    return Number(updated.followerCount);
}
/** Locks the rows of topics whose counters a transaction recomputes (PostgreSQL; SQLite has one writer). */
export async function lockTopics(tx, ids) {
    if (tx.dialect === "postgres")
        await tx.db.selectFrom("topics").select("id").where("id", "in", ids).orderBy("id").forUpdate().execute();
}
/**
 * Hides, restores, deletes or approves a post. A reply's topic recounts its visible replies; a
 * held post that becomes visible is published as if just posted (followers and mentions hear of it).
 */
export async function setPostState(tx, post, state) {
    if (post.state === state)
        return;
    await tx.db.updateTable(TABLE[post.type]).set({ moderationState: state }).where("id", "=", post.id).execute();
    if (post.type === "reply")
        await recountReplies(tx, post.topicId);
    const { topicId, communityId, authorId } = post;
    await emit(tx, "post.moderated", { topicId, communityId, type: post.type, postId: post.id, authorId, state });
    if (post.state !== "pending" || state !== "visible")
        return;
    if (post.type === "topic")
        await emit(tx, "topic.created", { topicId, communityId, authorId });
    else if (post.type === "reply")
        await emit(tx, "reply.posted", { topicId, communityId, replyId: post.id, authorId });
    else {
        const { replyId } = await tx.db
            .selectFrom("comments")
            .select("replyId")
            .where("id", "=", post.id)
            .executeTakeFirstOrThrow();
        await emit(tx, "comment.posted", { topicId, communityId, replyId, commentId: post.id, authorId });
    }
}
export async function setTopicLocked(tx, topic, locked) {
    await tx.db
        .updateTable("topics")
        .set({ locked: locked ? 1 : 0 })
        .where("id", "=", topic.id)
        .execute();
    await emit(tx, "topic.locked", { topicId: topic.id, communityId: topic.communityId, locked });
}
export async function setTopicCategory(tx, topic, categoryId) {
    await tx.db.updateTable("topics").set({ categoryId }).where("id", "=", topic.id).execute();
    await emit(tx, "topic.moved", {
        topicId: topic.id,
        communityId: topic.communityId,
        from: topic.categoryId,
        to: categoryId,
    });
}
/**
 * Merges a topic into another: its question becomes a reply there, its replies (with their
 * comments and votes) and followers move over, and the merged topic leads to the other one.
 */
export async function mergeTopicInto(tx, source, target) {
    await lockTopics(tx, [source.id, target.id]);
    await tx.db
        .insertInto("replies")
        .values({
        topicId: target.id,
        authorId: source.authorId,
        body: source.body,
        bodyHtml: source.bodyHtml,
        official: 0,
        score: 0,
        createdAt: source.createdAt,
        editedAt: null,
    })
        .execute();
    await tx.db.updateTable("replies").set({ topicId: target.id }).where("topicId", "=", source.id).execute();
    await copyFollowers(tx, source.id, target.id);
    await tx.db
        .updateTable("topics")
        .set({ moderationState: "merged", mergedIntoId: target.id, acceptedReplyId: null, replyCount: 0 })
        .where("id", "=", source.id)
        .execute();
    await recountReplies(tx, target.id);
    await recountFollowers(tx, target.id, Math.max(tx.clock.now(), target.lastActivityAt));
    await emit(tx, "topic.merged", { topicId: source.id, communityId: source.communityId, intoId: target.id });
}
async function copyFollowers(tx, fromId, intoId, at) {
    await sql `insert into follows (topic_id, user_id, created_at)
    select ${intoId}, f.user_id, ${at === undefined ? sql `f.created_at` : sql `${at}`} from follows f where f.topic_id = ${fromId}
    on conflict do nothing`.execute(tx.db);
}
/** A duplicate's followers follow the original too (each once); returns the original's follower count. */
export async function mergeFollowers(tx, fromId, intoId) {
    await lockTopics(tx, [intoId]);
    await copyFollowers(tx, fromId, intoId, tx.clock.now());
    return recountFollowers(tx, intoId);
}
/** Marks a topic escalated unless it is solved or already escalated; returns whether it did. */
export async function markEscalated(tx, topic) {
    const updated = await tx.db
        .updateTable("topics")
        .set({ escalatedAt: tx.clock.now() })
        .where("id", "=", topic.id)
        .where("escalatedAt", "is", null)
        .where("acceptedReplyId", "is", null)
        .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
        return false;
    await emit(tx, "topic.escalated", { topicId: topic.id, communityId: topic.communityId });
    return true;
}
/** Takes a topic out of the staff's hands (de-escalated or resolved). */
export async function clearEscalated(tx, topicId) {
    await tx.db.updateTable("topics").set({ escalatedAt: null }).where("id", "=", topicId).execute();
}
/** No word from the asker after an answer: the topic is abandoned, unless solved meanwhile. */
export async function markAbandoned(tx, topicId) {
    await tx.db
        .updateTable("topics")
        .set({ abandonedAt: tx.clock.now() })
        .where("id", "=", topicId)
        .where("abandonedAt", "is", null)
        .where("acceptedReplyId", "is", null)
        .execute();
}
/** Activity that revives an abandoned topic (a new reply, the asker speaking up). */
export async function clearAbandoned(tx, topicId) {
    await tx.db
        .updateTable("topics")
        .set({ abandonedAt: null })
        .where("id", "=", topicId)
        .where("abandonedAt", "is not", null)
        .execute();
}
