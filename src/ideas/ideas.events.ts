/** What happens to ideas, delivered to subscribers after commit (jobs/events.ts). */
declare module "../jobs/events.ts" {
  interface DomainEvents {
    "idea.statusChanged": { topicId: number; communityId: number; changeId: number };
  }
}

export {};
