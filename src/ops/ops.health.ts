import type { Deps } from "../core/deps.ts";
import { pendingMigrations } from "../db/migrate.ts";
import { oldestDueAgeMs, ping } from "./ops.queries.ts";

export interface Readiness {
  ready: boolean;
  /** Why not, one line per failed check; empty when ready. */
  reasons: string[];
}

/**
 * Whether this instance should get traffic: the database answers, every migration this code knows
 * has run, and the job queue moves (its oldest due job is younger than READY_MAX_JOB_LAG_MS). Only the
 * jobs this version knows (`jobNames`) count: one left by a newer version after a rollback waits for
 * that version, and must not take every instance out of service meanwhile.
 */
export async function readiness(deps: Deps, jobNames: readonly string[]): Promise<Readiness> {
  try {
    await ping(deps.db);
  } catch (error) {
    return { ready: false, reasons: [`database: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const reasons: string[] = [];
  // A check that fails after the ping (a table missing, the connection lost meanwhile) is a reason too:
  // the balancer gets its 503 with it, not a 500.
  const check = async (name: string, run: () => Promise<void>) =>
    run().catch((error: unknown) => {
      reasons.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    });
  await check("migrations", async () => {
    const pending = await pendingMigrations(
      deps.db,
      deps.dialect === "postgres" ? deps.config.databaseSchema : undefined,
    );
    if (pending.length) reasons.push(`migrations not applied: ${pending.join(", ")}`);
  });
  await check("job queue", async () => {
    const lagMs = await oldestDueAgeMs(deps.db, deps.clock.now(), jobNames);
    if (lagMs > deps.config.readyMaxJobLagMs)
      reasons.push(`job queue: the oldest due job has waited ${Math.round(lagMs / 1000)} s`);
  });
  return { ready: reasons.length === 0, reasons };
}
