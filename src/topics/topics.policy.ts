import { isStaffRole, type CommunityAccess } from "../access/access.ts";
import { can, canSeeCategory } from "../access/privileges.ts";
import type { CategoryScope, ModerationState, TopicKind } from "../db/schema.ts";
import { canSeeModerated } from "./topics.visibility.ts";

/** Kinds that can have an accepted solution; ideas and praise are not problems to solve. */
export const SOLVABLE_KINDS: readonly TopicKind[] = ["question", "problem"];

export interface TopicAbilities {
  edit: boolean;
  reply: boolean;
  /** Comment on the question itself. */
  comment: boolean;
  vote: boolean;
  accept: boolean;
  follow: boolean;
  /** Moderation: flag it, change only its tags, lock, move, merge, hide or restore it. */
  flag: boolean;
  retag: boolean;
  lock: boolean;
  move: boolean;
  merge: boolean;
  hide: boolean;
}

export interface ReplyAbilities {
  edit: boolean;
  vote: boolean;
  comment: boolean;
  accept: boolean;
  flag: boolean;
  hide: boolean;
}

/**
 * The category's scope decides who answers: anyone in a crowd category; in staff-only and private
 * categories only staff, and the asker (follow-ups on their own topic). Replies and comments alike.
 */
export function mayAnswerIn(
  access: CommunityAccess,
  topic: { authorId: number; categoryScope: CategoryScope | null },
): boolean {
  if ((topic.categoryScope ?? "crowd") === "crowd") return true;
  return isStaffRole(access.role) || (access.actor !== null && access.actor.id === topic.authorId);
}

type TopicFacts = { authorId: number; kind: TopicKind; categoryScope: CategoryScope | null; locked?: number };

/** A locked topic takes no new replies or comments, whoever asks. */
export const isLocked = (topic: { locked?: number }) => topic.locked === 1;

/**
 * Visible posts are for everyone who sees the topic; a held or hidden post only for its author and
 * for reviewers; deleted and merged ones for nobody.
 */
export function canSeePost(
  access: CommunityAccess,
  post: { authorId: number; moderationState?: ModerationState },
): boolean {
  const viewer = { userId: access.actor?.id ?? null, reviewer: can(access, "review.queue") };
  return canSeeModerated(viewer, post.authorId, post.moderationState);
}

/** Champions-only categories are for champions and staff. */
export { canSeeCategory };

/** Comments on the question and on its replies follow the same rule. */
const mayComment = (access: CommunityAccess, topic: TopicFacts) =>
  can(access, "comment.create") && mayAnswerIn(access, topic) && !isLocked(topic);

/** What the viewer may do with a topic; the API returns it and the pages draw buttons from it. */
export function topicAbilities(access: CommunityAccess, topic: TopicFacts): TopicAbilities {
  return {
    edit: can(access, "topic.edit", topic.authorId),
    reply: can(access, "reply.create") && mayAnswerIn(access, topic) && !isLocked(topic),
    comment: mayComment(access, topic),
    vote: can(access, "topic.vote", topic.authorId),
    accept: SOLVABLE_KINDS.includes(topic.kind) && can(access, "topic.accept", topic.authorId),
    follow: can(access, "topic.follow"),
    flag: can(access, "post.flag", topic.authorId),
    retag: can(access, "topic.retag", topic.authorId),
    lock: can(access, "topic.lock"),
    move: can(access, "topic.move"),
    merge: can(access, "topic.merge"),
    hide: can(access, "post.hide"),
  };
}

export function replyAbilities(
  access: CommunityAccess,
  topic: TopicFacts & { acceptedReplyId: number | null },
  topicAbilities: TopicAbilities,
  reply: { id: number; authorId: number; moderationState: ModerationState; mergedFromTopicId: number | null },
): ReplyAbilities {
  return {
    edit: can(access, "reply.edit", reply.authorId),
    vote: can(access, "reply.vote", reply.authorId),
    comment: mayComment(access, topic),
    // A hidden or held reply, or a question merged in (another asking, not an answer), cannot become
    // the solution; the accepted one can always be unaccepted.
    accept:
      topicAbilities.accept &&
      ((reply.moderationState === "visible" && reply.mergedFromTopicId === null) || topic.acceptedReplyId === reply.id),
    flag: can(access, "post.flag", reply.authorId),
    hide: can(access, "post.hide"),
  };
}
