import type { ModerationState, PostType, VoteTarget } from "../db/schema.ts";

/**
 * What happens to topics, written in the transaction of the change (jobs/events.ts) and delivered
 * to the subscribers the composition root lists: indexing, notifications, live updates, badges,
 * routing and escalation timers. Payloads carry ids; subscribers load the rest.
 */
declare module "../jobs/events.ts" {
  interface DomainEvents {
    /** A topic became visible: posted, or approved after review. `visitId`: the visit its form came from. */
    "topic.created": { topicId: number; communityId: number; authorId: number; visitId?: string | null };
    /**
     * A member posted a topic, shown at once or held for review: the member asked, whatever a
     * moderator decides later (deflection counting). `visitId`: the visit its form came from.
     */
    "topic.submitted": { topicId: number; communityId: number; authorId: number; visitId: string | null };
    /** `previousTitle`: the title before, when this edit changed it. */
    "topic.edited": { topicId: number; communityId: number; editorId: number; previousTitle?: string };
    /** A reply became visible: posted, or approved after review. */
    "reply.posted": { topicId: number; communityId: number; replyId: number; authorId: number };
    "reply.edited": { topicId: number; communityId: number; replyId: number; editorId: number };
    /** A comment became visible; replyId null: on the question itself. */
    "comment.posted": {
      topicId: number;
      communityId: number;
      replyId: number | null;
      commentId: number;
      authorId: number;
    };
    /** A solution accepted (replyId) or withdrawn (null). */
    "solution.changed": { topicId: number; communityId: number; replyId: number | null; actorId: number };
    "vote.cast": {
      topicId: number;
      communityId: number;
      target: VoteTarget;
      targetId: number;
      authorId: number;
      voterId: number;
      value: number;
      score: number;
    };
    /** A post hidden, restored, deleted (or a held one approved, which also emits its *.posted event). */
    "post.moderated": {
      topicId: number;
      communityId: number;
      type: PostType;
      postId: number;
      authorId: number;
      state: ModerationState;
    };
    /** A member followed or unfollowed a topic (its follower count changed). */
    "topic.followed": { topicId: number; communityId: number; userId: number; following: boolean };
    "topic.locked": { topicId: number; communityId: number; locked: boolean };
    "topic.moved": { topicId: number; communityId: number; from: number | null; to: number | null };
    "topic.merged": { topicId: number; communityId: number; intoId: number };
    "topic.escalated": { topicId: number; communityId: number };
    /** No word from the asker after an answer: the question was marked abandoned. */
    "topic.abandoned": { topicId: number; communityId: number };
  }
}
