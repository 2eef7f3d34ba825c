import type { Deps } from "../core/deps.ts";
import { JobRegistry } from "../jobs/jobs.ts";
import { maintenanceJob, orphanAttachmentsJob, scheduleMaintenance } from "../jobs/maintenance.ts";
import { fanoutJob } from "../notifications/notifications.fanout.ts";
import { deliverEmailJob } from "../notifications/notifications.delivery.ts";
import { digestJob, scheduleDigest } from "../notifications/notifications.digest.ts";
import { bookingReminderJob, eraseLeftCustomerContactJob, expireBookingJob } from "../marketplace/bookings.jobs.ts";
import { dispatchJob } from "../marketplace/dispatch.service.ts";
import { routeJob } from "../routing/routing.service.ts";
import { expertiseJob } from "../routing/expertise.service.ts";
import { abandonJob, slaJob } from "../escalation/escalation.timers.ts";
import { deliverWebhookJob } from "../escalation/webhooks.ts";
import { badgeJob } from "../reputation/reputation.badges.ts";
import { deliveryJob } from "../jobs/events.ts";
import { expectationsJob, scheduleExpectations } from "../insights/insights.jobs.ts";
import { rollupJob, rollupsJob, scheduleRollups } from "../insights/insights.rollups.jobs.ts";
import { passwordResetRequestJob } from "../accounts/accounts.recovery.ts";
import { SUBSCRIBERS } from "./subscribers.ts";

/** Every job of every domain, and the delivery of every event to each subscriber, in one visible place. */
export function buildJobRegistry(): JobRegistry {
  return new JobRegistry()
    .register(maintenanceJob, fanoutJob, deliverEmailJob, digestJob, expireBookingJob, bookingReminderJob, dispatchJob)
    .register(routeJob, expertiseJob, slaJob, abandonJob, deliverWebhookJob)
    .register(badgeJob, orphanAttachmentsJob)
    .register(expectationsJob, rollupJob, rollupsJob)
    .register(passwordResetRequestJob, eraseLeftCustomerContactJob)
    .register(...SUBSCRIBERS.map(deliveryJob));
}

/** Recurring jobs schedule their next run themselves; this starts the chains (idempotent). */
export async function scheduleRecurringJobs(deps: Deps): Promise<void> {
  await scheduleMaintenance(deps);
  await scheduleDigest(deps, "daily");
  await scheduleDigest(deps, "weekly");
  await scheduleExpectations(deps);
  await scheduleRollups(deps);
}
