import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";

/**
 * A durable job queue in the database (both engines): at-least-once delivery, retries with
 * exponential backoff, timers that survive restarts. On PostgreSQL several instances share the
 * work (FOR UPDATE SKIP LOCKED); handlers must be idempotent.
 */
export interface JobDefinition<P> {
  name: string;
  /** Attempts before the job is marked failed; 5 unless set. */
  attempts?: number;
  /** Delay before retry number `attempt` (1-based); exponential from 10 s unless set. */
  backoffMs?: (attempt: number) => number;
  run(deps: Deps, payload: P): Promise<void>;
}

export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

export const defaultBackoff = (attempt: number) => Math.min(10_000 * 2 ** (attempt - 1), 6 * 3600_000);

// biome-ignore lint/suspicious/noExplicitAny: the registry holds jobs of every payload type
type AnyJob = JobDefinition<any>;

/** Jobs by name; each domain registers its definitions explicitly at start-up. */
export class JobRegistry {
  private readonly jobs = new Map<string, AnyJob>();

  register(...definitions: AnyJob[]): this {
    for (const d of definitions) {
      if (this.jobs.has(d.name)) throw new Error(`Job ${d.name} is registered twice`);
      this.jobs.set(d.name, d);
    }
    return this;
  }

  get(name: string): AnyJob | undefined {
    return this.jobs.get(name);
  }
}

export interface EnqueueOptions {
  /** When to run; now unless set. */
  runAt?: number;
  /** A job with the same key is not scheduled again (timers, once-per-period work). */
  dedupeKey?: string;
}

/** The row of a job to run. */
export function jobRow<P>(now: number, job: JobDefinition<P>, payload: P, options: EnqueueOptions = {}) {
  return {
    name: job.name,
    payload: JSON.stringify(payload),
    status: "pending" as const,
    runAt: options.runAt ?? now,
    attempts: 0,
    maxAttempts: job.attempts ?? 5,
    lockedUntil: null,
    lastError: null,
    dedupeKey: options.dedupeKey ?? null,
    createdAt: now,
    finishedAt: null,
  };
}

/** Schedules a job; pass the transaction of the change that causes it, so both commit together. */
export async function enqueue<P>(
  ctx: { db: Db; clock: Clock },
  job: JobDefinition<P>,
  payload: P,
  options: EnqueueOptions = {},
): Promise<void> {
  await ctx.db
    .insertInto("jobs")
    .values(jobRow(ctx.clock.now(), job, payload, options))
    .onConflict((oc) => oc.column("dedupeKey").doNothing())
    .execute();
}

/** How long a claimed job may run before another worker takes it to have crashed. */
const LEASE_MS = 5 * 60_000;

async function claim(deps: Deps, limit: number) {
  const now = deps.clock.now();
  return deps.db
    .updateTable("jobs")
    .set((eb) => ({ status: "running", attempts: eb("attempts", "+", 1), lockedUntil: now + LEASE_MS }))
    .where("id", "in", (eb) => {
      let due = eb
        .selectFrom("jobs")
        .select("id")
        .where((w) =>
          w.or([
            w.and([w("status", "=", "pending"), w("runAt", "<=", now)]),
            w.and([w("status", "=", "running"), w("lockedUntil", "<", now)]),
          ]),
        )
        .orderBy("runAt")
        .limit(limit);
      if (deps.dialect === "postgres") due = due.forUpdate().skipLocked();
      return due;
    })
    .returningAll()
    .execute();
}

async function runOne(
  deps: Deps,
  registry: JobRegistry,
  job: Awaited<ReturnType<typeof claim>>[number],
): Promise<void> {
  const definition = registry.get(job.name);
  try {
    if (!definition) throw new Error(`No handler registered for job ${job.name}`);
    await definition.run(deps, JSON.parse(job.payload));
    await deps.db
      .updateTable("jobs")
      .set({ status: "done", finishedAt: deps.clock.now(), lockedUntil: null, lastError: null })
      .where("id", "=", job.id)
      .execute();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const exhausted = job.attempts >= job.maxAttempts;
    const backoff = (definition?.backoffMs ?? defaultBackoff)(job.attempts);
    await deps.db
      .updateTable("jobs")
      .set({
        status: exhausted ? "failed" : "pending",
        runAt: exhausted ? job.runAt : deps.clock.now() + backoff,
        lockedUntil: null,
        lastError: message.slice(0, 2000),
        finishedAt: exhausted ? deps.clock.now() : null,
      })
      .where("id", "=", job.id)
      .execute();
  }
}

/**
 * Runs every job due now, batch after batch, until none is left; returns how many ran. Tests call this with a fake
 * clock.
 */
export async function runDueJobs(deps: Deps, registry: JobRegistry, batchSize = 20): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await claim(deps, batchSize);
    if (batch.length === 0) return total;
    for (const job of batch) await runOne(deps, registry, job);
    total += batch.length;
  }
}

/**
 * Runs these jobs now, in this process, unless a worker already took them: the deliveries of the
 * events a transaction emitted, right after it committed. A job that fails stays queued for its
 * retries like any other.
 */
export async function runJobsNow(deps: Deps, registry: JobRegistry, ids: readonly number[]): Promise<void> {
  const now = deps.clock.now();
  const claimed = await deps.db
    .updateTable("jobs")
    .set((eb) => ({ status: "running", attempts: eb("attempts", "+", 1), lockedUntil: now + LEASE_MS }))
    .where("id", "in", ids)
    .where("status", "=", "pending")
    .returningAll()
    .execute();
  for (const job of claimed.sort((a, b) => a.id - b.id)) await runOne(deps, registry, job);
}

export interface Worker {
  /** Runs due jobs soon instead of at the next poll (after an enqueue in this process). */
  wake(): void;
  stop(): Promise<void>;
}

/** Polls for due jobs in the background until stopped. */
export function startWorker(deps: Deps, registry: JobRegistry, pollMs = 1000): Worker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    clearTimeout(timer);
    running = running
      .then(() => runDueJobs(deps, registry))
      .then(
        () => undefined,
        (error) => console.error("job worker:", error),
      )
      .finally(() => {
        clearTimeout(timer);
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    wake: () => {
      if (!stopped) tick();
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** State of the queue for admins: counts by status and the latest failures. */
export async function queueStatus(db: Db) {
  const counts = await db
    .selectFrom("jobs")
    .select(["status", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy("status")
    .execute();
  const failures = await db
    .selectFrom("jobs")
    .select(["id", "name", "attempts", "lastError", "runAt", "status"])
    .where((eb) =>
      eb.or([eb("status", "=", "failed"), eb.and([eb("status", "=", "pending"), eb("lastError", "is not", null)])]),
    )
    .orderBy("id", "desc")
    .limit(50)
    .execute();
  return { counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.count)])), failures };
}
