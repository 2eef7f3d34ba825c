import { can, type CommunityAccess } from "../communities/privileges.ts";
import type { TopicKind } from "../db/schema.ts";

/** Kinds that can have an accepted solution; ideas and praise are not problems to solve. */
export const SOLVABLE_KINDS: readonly TopicKind[] = ["question", "problem"];

export interface TopicAbilities {
  edit: boolean;
  reply: boolean;
  vote: boolean;
  accept: boolean;
  follow: boolean;
}

export interface ReplyAbilities {
  edit: boolean;
  vote: boolean;
  comment: boolean;
  accept: boolean;
}

/** What the viewer may do with a topic; the API returns it and the pages draw buttons from it. */
export function topicAbilities(access: CommunityAccess, topic: { authorId: number; kind: TopicKind }): TopicAbilities {
  return {
    edit: can(access, "topic.edit", topic.authorId),
    reply: can(access, "reply.create"),
    vote: can(access, "topic.vote", topic.authorId),
    accept: SOLVABLE_KINDS.includes(topic.kind) && can(access, "topic.accept", topic.authorId),
    follow: can(access, "topic.follow"),
  };
}

export function replyAbilities(access: CommunityAccess, topicAbilities: TopicAbilities, reply: { authorId: number }): ReplyAbilities {
  return {
    edit: can(access, "reply.edit", reply.authorId),
    vote: can(access, "reply.vote", reply.authorId),
    comment: can(access, "comment.create"),
    accept: topicAbilities.accept,
  };
}
