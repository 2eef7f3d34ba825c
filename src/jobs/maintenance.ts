import type { Deps } from "../core/deps.ts";
import { removeOrphanAttachments } from "../storage/attachment-orphans.ts";
import { defineJob, enqueue } from "./jobs.ts";
import { HOUR_MS } from "../lib/durations.ts";

/** Housekeeping: finished jobs, replayable live events, expired sessions and old rate-limit windows. */
export async function cleanUp(deps: Deps): Promise<void> {
  const now = deps.clock.now();
  await deps.db
    .deleteFrom("jobs")
    .where("status", "=", "done")
    .where("finishedAt", "<", now - 7 * 24 * HOUR_MS)
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
