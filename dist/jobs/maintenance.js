import { defineJob, enqueue } from "./jobs.js";
const HOUR = 3600_000;
/** Housekeeping: finished jobs, replayable live events, expired sessions and old rate-limit windows. */
export async function cleanUp(deps) {
    const now = deps.clock.now();
    await deps.db
        .deleteFrom("jobs")
        .where("status", "=", "done")
        .where("finishedAt", "<", now - 7 * 24 * HOUR)
        .execute();
    await deps.db
        .deleteFrom("liveEvents")
        .where("createdAt", "<", now - HOUR)
        .execute();
    await deps.db.deleteFrom("sessions").where("expiresAt", "<", now).execute();
    await deps.db
        .deleteFrom("rateLimits")
        .where("windowStart", "<", now - 24 * HOUR)
        .execute();
}
export async function scheduleMaintenance(deps) {
    const next = Math.ceil((deps.clock.now() + 1) / HOUR) * HOUR;
    await enqueue(deps, maintenanceJob, null, { runAt: next, dedupeKey: `maintenance:${next}` });
}
export const maintenanceJob = defineJob({
    name: "maintenance.hourly",
    run: async (deps) => {
        await cleanUp(deps);
        await scheduleMaintenance(deps);
    },
});
