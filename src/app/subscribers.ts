import { installSubscribers } from "../jobs/events.ts";
import { ideaSubscribers } from "../ideas/ideas.subscribers.ts";
import { insightsSubscribers } from "../insights/insights.subscribers.ts";
import { escalationSubscribers } from "../escalation/escalation.subscribers.ts";
import { liveSubscribers, notificationSubscribers } from "../notifications/notifications.subscribers.ts";
import { pollSubscribers } from "../polls/polls.subscribers.ts";
import { reputationSubscribers } from "../reputation/reputation.subscribers.ts";
import { routingSubscribers } from "../routing/routing.subscribers.ts";
import { searchSubscribers } from "../search/search.subscribers.ts";

/** Every event subscriber of every domain, one line each. */
export const SUBSCRIBERS = [
  ...searchSubscribers,
  ...notificationSubscribers,
  ...liveSubscribers,
  ...reputationSubscribers,
  ...routingSubscribers,
  ...escalationSubscribers,
  ...ideaSubscribers,
  ...pollSubscribers,
  ...insightsSubscribers,
];

export function installAllSubscribers(): void {
  installSubscribers(SUBSCRIBERS);
}
