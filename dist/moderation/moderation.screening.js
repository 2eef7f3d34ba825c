import { sql } from "kysely";
import { can, kudosThreshold } from "../access/privileges.js";
import { forbidden } from "../core/errors.js";
import { hitRateLimit } from "../lib/rate-limit.js";
import { exemptFromScreening } from "./moderation.policy.js";
import { moderationSettings } from "./moderation.settings.js";
/**
 * What happens to a new post before it is saved: links and images need their privilege, members
 * have hourly limits, and a new member's first posts or a post that looks like spam wait in the
 * review queue instead of appearing. Topics asks through the screening installed below.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Spam score from which a post waits for review. */
const SPAM_SCORE = 3;
const linkCount = (html) => (html.match(/<a\s/g) ?? []).length;
const imageCount = (html) => (html.match(/<img\s/g) ?? []).length;
const normalize = (text) => text.toLowerCase().replace(/\s+/g, " ").trim();
function refuse(access, privilege, what) {
    const needed = kudosThreshold(access, privilege);
    throw forbidden(`New members cannot post ${what} yet: it takes ${needed} kudos (you have ${access.standing.kudos}).`);
}
/** Links and images (in rendered Markdown) need their level-gated privilege; posts and edits alike. */
export function assertMarkupAllowed(access, html) {
    if (linkCount(html) > 0 && !can(access, "post.links"))
        refuse(access, "post.links", "links");
    if (imageCount(html) > 0 && !can(access, "post.images"))
        refuse(access, "post.images", "images");
}
/** The author's posts of the last day in this community, as normalized text. */
async function recentTexts(db, communityId, authorId, since) {
    const [topics, replies, comments] = await Promise.all([
        db
            .selectFrom("topics")
            .select(["title", "body"])
            .where("communityId", "=", communityId)
            .where("authorId", "=", authorId)
            .where("createdAt", ">=", since)
            .limit(200)
            .execute(),
        db
            .selectFrom("replies")
            .innerJoin("topics", "topics.id", "replies.topicId")
            .select("replies.body")
            .where("topics.communityId", "=", communityId)
            .where("replies.authorId", "=", authorId)
            .where("replies.createdAt", ">=", since)
            .limit(200)
            .execute(),
        db
            .selectFrom("comments")
            .innerJoin("replies", "replies.id", "comments.replyId")
            .innerJoin("topics", "topics.id", "replies.topicId")
            .select("comments.body")
            .where("topics.communityId", "=", communityId)
            .where("comments.authorId", "=", authorId)
            .where("comments.createdAt", ">=", since)
            .limit(200)
            .execute(),
    ]);
    return [
        ...topics.map((t) => normalize(`${t.title}\n${t.body}`)),
        ...replies.map((r) => normalize(r.body)),
        ...comments.map((c) => normalize(c.body)),
    ];
}
/** The spam signals of a post; pure, so the rules are tested on their own. */
export function spamSignals(submission, copies, spam) {
    const signals = [];
    let score = 0;
    const text = normalize(submission.text);
    const phrase = spam.blockedPhrases.find((p) => text.includes(normalize(p)));
    if (phrase) {
        signals.push(`blocked phrase "${phrase}"`);
        score += 3;
    }
    const links = linkCount(submission.html);
    if (links > spam.maxLinks) {
        signals.push(`${links} links (more than ${spam.maxLinks})`);
        score += 3;
    }
    if (copies >= spam.repeatLimit) {
        signals.push(`same text posted ${copies} times today`);
        score += copies >= 2 * spam.repeatLimit ? 3 : 2;
        if (links > 0)
            score += 1;
    }
    return { score, signals };
}
async function postsSoFar(db, communityId, authorId) {
    const [topics, replies] = await Promise.all([
        db
            .selectFrom("topics")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("communityId", "=", communityId)
            .where("authorId", "=", authorId)
            .where("moderationState", "=", "visible")
            .executeTakeFirstOrThrow(),
        db
            .selectFrom("replies")
            .innerJoin("topics", "topics.id", "replies.topicId")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("topics.communityId", "=", communityId)
            .where("replies.authorId", "=", authorId)
            .where("replies.moderationState", "=", "visible")
            .executeTakeFirstOrThrow(),
    ]);
    return Number(topics.n) + Number(replies.n);
}
/**
 * Screens a post by the actor (whose access carries their standing). Refuses links and images
 * without the privilege (403) and posts over the hourly limit (429); otherwise decides whether the
 * post appears now or waits for review.
 */
export async function screenPost(deps, access, submission) {
    const actor = access.actor;
    const communityId = access.community.id;
    assertMarkupAllowed(access, submission.html);
    const settings = await moderationSettings(deps.db, communityId);
    const now = deps.clock.now();
    const perHour = submission.type === "topic" ? settings.topicsPerHour : settings.repliesPerHour;
    if (perHour > 0) {
        await hitRateLimit(deps.db, `${submission.type === "topic" ? "topics" : "replies"}:${communityId}:${actor.id}`, { max: perHour, windowMs: HOUR }, now);
    }
    if (exemptFromScreening(access))
        return { state: "visible", review: null };
    const text = normalize(submission.text);
    const copies = (await recentTexts(deps.db, communityId, actor.id, now - DAY)).filter((t) => t === text).length + 1;
    const spam = spamSignals(submission, copies, settings.spam);
    if (spam.score >= SPAM_SCORE)
        return { state: "pending", review: { reason: "spam", details: { signals: spam.signals } } };
    if (settings.approveFirstPosts > 0 &&
        (await postsSoFar(deps.db, communityId, actor.id)) < settings.approveFirstPosts) {
        return { state: "pending", review: { reason: "first_post", details: { signals: [] } } };
    }
    return { state: "visible", review: null };
}
/** Puts a held post in the review queue; pass the transaction that saves the post. */
export async function queueForReview(db, p) {
    await db
        .insertInto("reviewQueue")
        .values({
        communityId: p.communityId,
        targetType: p.type,
        targetId: p.id,
        authorId: p.authorId,
        reason: p.review.reason,
        details: JSON.stringify(p.review.details),
        status: "open",
        createdAt: p.now,
        resolvedAt: null,
        resolvedBy: null,
    })
        // The literal must match the partial index's predicate for SQLite to use it as the conflict target.
        .onConflict((oc) => oc.columns(["targetType", "targetId"]).where("status", "=", sql.lit("open")).doNothing())
        .execute();
}
/** Moderation's screening of posts, installed into topics by the composition root. */
export const moderationScreening = {
    screen: screenPost,
    checkMarkup: assertMarkupAllowed,
    hold: (tx, post, review) => queueForReview(tx.db, { ...post, review, now: tx.clock.now() }),
};
