import { installSubscribers } from "../jobs/events.js";
import { escalationSubscribers } from "../escalation/escalation.subscribers.js";
import { liveSubscribers, notificationSubscribers } from "../notifications/notifications.subscribers.js";
import { reputationSubscribers } from "../reputation/reputation.subscribers.js";
import { routingSubscribers } from "../routing/routing.subscribers.js";
import { searchSubscribers } from "../search/search.subscribers.js";
/** Every event subscriber of every domain, one line each. */
export const SUBSCRIBERS = [
    ...searchSubscribers,
    ...notificationSubscribers,
    ...liveSubscribers,
    ...reputationSubscribers,
    ...routingSubscribers,
    ...escalationSubscribers,
];
export function installAllSubscribers() {
    installSubscribers(SUBSCRIBERS);
}
