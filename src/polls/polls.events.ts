/**
 * What happens to polls, written in the transaction of the change (jobs/events.ts). No subscriber
 * yet: they name the poll's topic and community, so the page cache re-renders that topic's page
 * (it shows the results) and its community's lists, and nothing else (app/page-cache.ts).
 */
declare module "../jobs/events.ts" {
  interface DomainEvents {
    "poll.created": { topicId: number; communityId: number; pollId: number; authorId: number };
    /** A member's ballot cast or replaced. */
    "poll.voted": { topicId: number; communityId: number; pollId: number; voterId: number };
  }
}

export {};
