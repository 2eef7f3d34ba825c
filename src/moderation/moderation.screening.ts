import { sql } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { PostType, ReviewReason } from "../db/schema.ts";
import type { PostScreening, Screening, Submission } from "../topics/index.ts";
import { commentTopicIdSql } from "../topics/index.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can, kudosThreshold, type Privilege } from "../access/privileges.ts";
import { AppError } from "../core/errors.ts";
import { attachmentAllowance } from "../editor/index.ts";
import { hitRateLimit } from "../lib/rate-limit.ts";
import { imagesShown, unescapeMarkdown } from "../lib/markdown.ts";
import { exemptFromScreening } from "./moderation.policy.ts";
import { moderationSettings, type ModerationSettings } from "./moderation.settings.ts";
import { DAY_MS, HOUR_MS } from "../lib/durations.ts";

/**
 * What happens to a new post before it is saved: links and images need their privilege, members
 * have hourly limits, and a new member's first posts or a post that looks like spam wait in the
 * review queue instead of appearing. Topics asks through the screening installed below.
 */

/** Spam score from which a post waits for review. */
const SPAM_SCORE = 3;

/** Links, not counting the link around an attached image's thumbnail (lib/markdown.ts). */
const linkCount = (html: string) => (html.match(/<a\s(?!class="attachment")/g) ?? []).length;
/** Latin look-alikes (Cyrillic and Greek) that NFKC keeps apart but readers do not. */
const HOMOGLYPHS: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  ɡ: "g",
  α: "a",
  β: "b",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
};
const HOMOGLYPH = new RegExp(`[${Object.keys(HOMOGLYPHS).join("")}]`, "g");

/** Accents and other marks combined with Latin, Greek or Cyrillic letters ("cásino", "c̲asino", "VİAGRA"). */
const COMBINING_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
/** Characters that show nothing: zero-width ones, soft hyphens, bidi marks, variation selectors, fillers. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|\p{DI}/gu;

/**
 * Text as a spam filter should compare it: Markdown escapes and character references resolved as
 * the reader sees them ("&#99;asino"), compatibility forms folded (NFKD: fullwidth, ligatures),
 * accents and other combining marks dropped, invisible characters dropped (zero-width, soft hyphens,
 * variation selectors, fillers: every default-ignorable code point), look-alike letters mapped to
 * Latin, Markdown emphasis and code marks removed and brackets spaced out, in lower case with single
 * spaces. "c​asino", "ｃａｓｉｎｏ", "cаsino" (Cyrillic a), "&#99;asino", "cásino" and "**ca**sino"
 * all read "casino".
 */
export const normalize = (text: string) =>
  unescapeMarkdown(text)
    .normalize("NFKD")
    .toLowerCase()
    .replace(COMBINING_MARKS, "")
    .replace(INVISIBLE, "")
    .replace(HOMOGLYPH, (c) => HOMOGLYPHS[c])
    .replace(/[*_~`]+/g, "")
    .replace(/[[\]()<>#|]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();

function refuse(access: CommunityAccess, privilege: Privilege, what: "links" | "images"): never {
  const needed = kudosThreshold(access, privilege);
  const kudos = access.standing.kudos;
  const message = `New members cannot post ${what} yet: it takes ${needed} kudos (you have ${kudos}).`;
  // The text stays in the form, and the form says why next to it.
  throw new AppError("forbidden", message, { body: message }, { key: `mod.${what}NotYet`, params: { needed, kudos } });
}

/** Links and images (in rendered Markdown) need their level-gated privilege; posts and edits alike. */
export function assertMarkupAllowed(access: CommunityAccess, html: string): void {
  if (linkCount(html) > 0 && !can(access, "post.links")) refuse(access, "post.links", "links");
  // Images from other sites need the privilege; images attached through the editor have their own allowance.
  const { external, attached } = imagesShown(html);
  if (external > 0 && !can(access, "post.images")) refuse(access, "post.images", "images");
  const allowance = attachmentAllowance(access);
  if (attached > 0 && attached > (allowance?.perPost ?? 0)) {
    const max = allowance?.perPost ?? 0;
    const message = `A post can hold at most ${max} attached images at your level (this one has ${attached}).`;
    throw new AppError(
      "forbidden",
      message,
      { body: message },
      { key: "mod.attachmentsTooMany", params: { max, attached } },
    );
  }
}

/** The author's posts of the last day in this community, as normalized text. */
async function recentTexts(db: Db, communityId: number, authorId: number, since: number): Promise<string[]> {
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
      .leftJoin("replies", "replies.id", "comments.replyId")
      .innerJoin("topics", (j) => j.on("topics.id", "=", commentTopicIdSql))
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
export function spamSignals(
  submission: Submission,
  copies: number,
  spam: ModerationSettings["spam"],
): { score: number; signals: string[] } {
  const signals: string[] = [];
  let score = 0;
  const text = normalize(submission.text);
  // A phrase of marks alone ("**", "[]") reads as nothing, which every text would include.
  const phrase = spam.blockedPhrases.find((p) => {
    const words = normalize(p);
    return words !== "" && text.includes(words);
  });
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
    if (links > 0) score += 1;
  }
  return { score, signals };
}

async function postsSoFar(db: Db, communityId: number, authorId: number): Promise<number> {
  const [topics, replies] = await Promise.all([
    db
      .selectFrom("topics")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("communityId", "=", communityId)
      .where("authorId", "=", authorId)
      .where("moderationState", "=", "visible")
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("replies")
      .innerJoin("topics", "topics.id", "replies.topicId")
      .select((eb) => eb.fn.countAll<number>().as("n"))
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
export async function screenPost(
  deps: Pick<Deps, "db" | "clock">,
  access: CommunityAccess,
  submission: Submission,
): Promise<Screening> {
  const actor = access.actor!;
  const communityId = access.community.id;
  assertMarkupAllowed(access, submission.html);
  const settings = await moderationSettings(deps.db, communityId);
  const now = deps.clock.now();
  const perHour = submission.type === "topic" ? settings.topicsPerHour : settings.repliesPerHour;
  if (perHour > 0) {
    await hitRateLimit(
      deps.db,
      `${submission.type === "topic" ? "topics" : "replies"}:${communityId}:${actor.id}`,
      { max: perHour, windowMs: HOUR_MS },
      now,
    );
  }
  if (exemptFromScreening(access)) return { state: "visible", review: null };
  const text = normalize(submission.text);
  const copies = (await recentTexts(deps.db, communityId, actor.id, now - DAY_MS)).filter((t) => t === text).length + 1;
  const spam = spamSignals(submission, copies, settings.spam);
  if (spam.score >= SPAM_SCORE)
    return { state: "pending", review: { reason: "spam", details: { signals: spam.signals } } };
  if (
    settings.approveFirstPosts > 0 &&
    (await postsSoFar(deps.db, communityId, actor.id)) < settings.approveFirstPosts
  ) {
    return { state: "pending", review: { reason: "first_post", details: { signals: [] } } };
  }
  return { state: "visible", review: null };
}

/**
 * Screens an edit's new text for spam (blocked phrases, links): the same signals as a new post's,
 * but for repeats (an edit is not another copy) and first posts. Moderators and trusted members
 * are exempt, as for posts.
 */
export async function screenEdit(
  deps: Pick<Deps, "db" | "clock">,
  access: CommunityAccess,
  submission: Submission,
): Promise<Screening["review"]> {
  if (exemptFromScreening(access)) return null;
  const settings = await moderationSettings(deps.db, access.community.id);
  const spam = spamSignals(submission, 1, settings.spam);
  return spam.score >= SPAM_SCORE ? { reason: "spam", details: { signals: spam.signals } } : null;
}

/** Puts a held post in the review queue; pass the transaction that saves the post. */
export async function queueForReview(
  db: Db,
  p: {
    communityId: number;
    type: PostType;
    id: number;
    authorId: number;
    review: { reason: ReviewReason; details: { signals: string[] } };
    now: number;
  },
): Promise<void> {
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
export const moderationScreening: PostScreening = {
  screen: screenPost,
  checkMarkup: assertMarkupAllowed,
  screenEdit,
  hold: (tx, post, review) => queueForReview(tx.db, { ...post, review, now: tx.clock.now() }),
};
