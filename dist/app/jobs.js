import { JobRegistry } from "../jobs/jobs.js";
import { maintenanceJob, scheduleMaintenance } from "../jobs/maintenance.js";
import { deliverEmailJob, fanoutJob } from "../notifications/notifications.fanout.js";
import { digestJob, scheduleDigest } from "../notifications/notifications.digest.js";
import { bookingReminderJob, expireBookingJob } from "../marketplace/bookings.jobs.js";
import { dispatchJob } from "../marketplace/dispatch.service.js";
import { routeJob } from "../routing/routing.service.js";
import { expertiseJob } from "../routing/expertise.service.js";
import { abandonJob, slaJob } from "../escalation/escalation.timers.js";
import { deliverWebhookJob } from "../escalation/webhooks.js";
import { badgeJob } from "../reputation/reputation.badges.js";
import { deliveryJob } from "../jobs/events.js";
import { SUBSCRIBERS } from "./subscribers.js";
/** Every job of every domain, and the delivery of every event to each subscriber, in one visible place. */
export function buildJobRegistry() {
    return new JobRegistry()
        .register(maintenanceJob, fanoutJob, deliverEmailJob, digestJob, expireBookingJob, bookingReminderJob, dispatchJob)
        .register(routeJob, expertiseJob, slaJob, abandonJob, deliverWebhookJob)
        .register(badgeJob)
        .register(...SUBSCRIBERS.map(deliveryJob));
}
/** Recurring jobs schedule their next run themselves; this starts the chains (idempotent). */
export async function scheduleRecurringJobs(deps) {
    await scheduleMaintenance(deps);
    await scheduleDigest(deps, "daily");
    await scheduleDigest(deps, "weekly");
}
