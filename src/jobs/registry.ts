import type { Deps } from "../http/context.ts";
import { JobRegistry } from "./jobs.ts";
import { maintenanceJob, scheduleMaintenance } from "./maintenance.ts";
import { deliverEmailJob, fanoutJob } from "../notifications/notifications.fanout.ts";
import { digestJob, scheduleDigest } from "../notifications/notifications.digest.ts";

/** Every job of every domain, registered in one visible place. */
export function buildJobRegistry(): JobRegistry {
  return new JobRegistry().register(maintenanceJob, fanoutJob, deliverEmailJob, digestJob);
}

/** Recurring jobs schedule their next run themselves; this starts the chains (idempotent). */
export async function scheduleRecurringJobs(deps: Deps): Promise<void> {
  await scheduleMaintenance(deps);
  await scheduleDigest(deps, "daily");
  await scheduleDigest(deps, "weekly");
}
