import type { Deps } from "../core/deps.ts";
import { removeOrphanAttachments } from "../storage/attachment-orphans.ts";
import { defineJob, enqueue } from "./jobs.ts";
import { DAY_MS, HOUR_MS } from "../lib/durations.ts";

/** How long a failed job is kept for an operator to look into (the queue state in /metrics). */
export const FAILED_JOBS_KEPT_MS = 30 * DAY_MS;

/**
 * Housekeeping: finished jobs, replayable live events, expired sessions and old rate-limit windows.
 * Failed jobs stay longer than done ones, for an operator to look into, but not forever: a receiver
 * that is gone for good would otherwise add a row (and its payload) per event for ever.
 */
export async function cleanUp(deps: Deps): Promise<void> {
  const now = deps.clock.now();
  await deps.db
    .deleteFrom("jobs")
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "done"), eb("finishedAt", "<", now - 7 * DAY_MS)]),
        eb.and([eb("status", "=", "failed"), eb("finishedAt", "<", now - FAILED_JOBS_KEPT_MS)]),
      ]),
    )
    .execute();
  await deps.db
    .deleteFrom("liveEvents")
    .where("createdAt", "<", now - HOUR_MS)
    .execute();
  await deps.db.deleteFrom("sessions").where("expiresAt", "<", now).execute();
  await deps.db
    .deleteFrom("rateLimits")
    .where("windowStart", "<", now - 24 * HOUR_MS)
    .execute();
}

export async function scheduleMaintenance(deps: Deps): Promise<void> {
  const next = Math.ceil((deps.clock.now() + 1) / HOUR_MS) * HOUR_MS;
  await enqueue(deps, maintenanceJob, null, { runAt: next, dedupeKey: `maintenance:${next}` });
}

/**
 * Images uploaded for posts never saved (storage/attachment-orphans.ts): a day after the upload,
 * an image no text refers to is deleted. A full batch asks for the next one at once, keyed by where it
 * starts: sweeps that stopped at the same row queue one follow-up, not two chains. Sweeps never overlap
 * (the sweep's lease), so a job run twice (at-least-once delivery) only costs a run that finds nothing.
 */
export const orphanAttachmentsJob = defineJob<null>({
  name: "maintenance.orphanAttachments",
  run: async (deps) => {
    const sweep = await removeOrphanAttachments(deps);
    if (sweep.more) {
      await enqueue(deps, orphanAttachmentsJob, null, { dedupeKey: `attachments-orphans:after:${sweep.cursor}` });
    }
  },
});

/**
 * Schedules the next hour's run first: a run that fails every attempt (a statement timeout, a
 * failover) would otherwise end the chain until a restart, and nothing would be cleaned up again.
 */
export const maintenanceJob = defineJob<null>({
  name: "maintenance.hourly",
  run: async (deps) => {
    await scheduleMaintenance(deps);
    await cleanUp(deps);
    const hour = Math.floor(deps.clock.now() / HOUR_MS) * HOUR_MS;
    await enqueue(deps, orphanAttachmentsJob, null, { dedupeKey: `attachments-orphans:${hour}` });
  },
});
