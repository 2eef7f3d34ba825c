/** What happens to memberships and communities, delivered to subscribers after commit (jobs/events.ts). */
declare module "../jobs/events.ts" {
  interface DomainEvents {
    /** A membership was deleted (the member removed or banned, or the account deleted); `joinedAt` its start. */
    "membership.ended": { communityId: number; userId: number; joinedAt: number };
    /** A moderator suspended a member until `until` (they keep their membership, without taking part). */
    "member.suspended": { communityId: number; userId: number; until: number };
    /** The community's language changed: what depends on it (the search index's stemming) follows. */
    "community.languageChanged": { communityId: number; locale: string };
    /** An admin saved a category's scope (crowd, staff_only, private): its topics may now need staff. */
    "category.scopeChanged": { communityId: number; categoryId: number };
    /** An admin saved a category's SLA deadlines: timers already set for its topics follow them. */
    "category.deadlinesChanged": { communityId: number; categoryId: number };
  }
}

export {};
