import type { ExpressionBuilder } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";
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
  /**
   * The payload holds what must not outlive the job (an address anyone may type): it is emptied
   * when the job ends, done or failed, instead of staying until finished jobs are cleaned up.
   */
  forgetPayload?: boolean;
  run(deps: Deps, payload: P): Promise<void>;
}

export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

export const defaultBackoff = (attempt: number) => Math.min(10_000 * 2 ** (attempt - 1), 6 * 3600_000);

/**
 * The delay before retry number `attempt`: the job's own backoff, or the default one where that
 * gives no usable delay (NaN, infinite or negative would make `runAt` invalid or in the past).
 */
export function retryDelay(job: Pick<JobDefinition<unknown>, "backoffMs"> | undefined, attempt: number): number {
  const ms = (job?.backoffMs ?? defaultBackoff)(attempt);
  return Number.isFinite(ms) && ms >= 0 ? Math.ceil(ms) : defaultBackoff(attempt);
}

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

  /** The names of the jobs this instance knows, the only ones it claims. */
  names(): string[] {
    return [...this.jobs.keys()];
  }

  /**
   * The payload of a job row as it ends (done or failed): emptied for the jobs whose definition
   * forgets it, kept for the others. The one rule for every update that ends a job.
   */
  endedPayload(eb: ExpressionBuilder<Database, "jobs">) {
    const forget = [...this.jobs.values()].filter((d) => d.forgetPayload).map((d) => d.name);
    if (forget.length === 0) return eb.ref("payload");
    return eb.case().when("name", "in", forget).then("{}").else(eb.ref("payload")).end();
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

/**
 * A dedupe key for a job that must be scheduled although one of `base` already ran: `<base>:after:<id>`
 * names the job that holds `base`, and so on down the chain when that one ran too; a pending job's key
 * is reused (scheduling it again does nothing). After 100 hops, undefined: a job without a key.
 */
export async function freeDedupeKey(db: Db, base: string): Promise<string | undefined> {
  let key = base;
  for (let hop = 0; hop < 100; hop++) {
    const taken = await db.selectFrom("jobs").select(["id", "status"]).where("dedupeKey", "=", key).executeTakeFirst();
    if (!taken || taken.status === "pending") return key;
    key = `${base}:after:${taken.id}`;
  }
  return undefined;
}

/**
 * How long a claimed job is its worker's before another takes it to have crashed. Short, so a
 * crash delays a job by a minute at most; a job that runs longer has its lease renewed.
 */
export const LEASE_MS = 60_000;
const RENEW_EVERY_MS = LEASE_MS / 3;

/**
 * Claims due jobs. An instance claims (and settles) only the jobs its registry knows: in a rolling
 * deploy an older instance leaves a newer job to an instance that knows it, instead of using up its
 * attempts. Such a job stays due meanwhile: the queue metrics count it as due under its name, but the
 * readiness of an instance waits only for the jobs it knows (ops.health.ts), so a newer version's job
 * left after a rollback does not take every instance out of service.
 */
async function claim(deps: Deps, registry: JobRegistry, limit: number, skipKinds: readonly string[] = []) {
  const now = deps.clock.now();
  const known = registry.names();
  if (known.length === 0) return [];
  // A job whose last attempt's worker died (its lease ran out) has had its attempts: it failed,
  // and a payload its definition forgets when it ends is emptied as runOne would have.
  await deps.db
    .updateTable("jobs")
    .set((eb) => ({
      status: "failed",
      lockedUntil: null,
      finishedAt: now,
      lastError: "The worker of its last attempt stopped.",
      payload: registry.endedPayload(eb),
    }))
    .where("name", "in", known)
    .where("status", "=", "running")
    .where("lockedUntil", "<", now)
    .where((eb) => eb("attempts", ">=", eb.ref("maxAttempts")))
    .execute();
  return deps.db
    .updateTable("jobs")
    .set((eb) => ({ status: "running", attempts: eb("attempts", "+", 1), lockedUntil: now + LEASE_MS }))
    .where("id", "in", (eb) => {
      let due = eb
        .selectFrom("jobs")
        .select("id")
        .where("name", "in", known)
        .where((w) =>
          w.or([
            w.and([w("status", "=", "pending"), w("runAt", "<=", now)]),
            w.and([w("status", "=", "running"), w("lockedUntil", "<", now), w("attempts", "<", w.ref("maxAttempts"))]),
          ]),
        )
        .orderBy("runAt")
        .orderBy("id")
        .limit(limit);
      if (skipKinds.length > 0) due = due.where("name", "not in", skipKinds);
      if (deps.dialect === "postgres") due = due.forUpdate().skipLocked();
      return due;
    })
    .returningAll()
    .execute();
}

type ClaimedJob = Awaited<ReturnType<typeof claim>>[number];

/**
 * The job's row while this worker still holds it: running, at the attempt it claimed. A worker
 * whose lease ran out (another took the job over) then changes nothing with its late result.
 */
const heldBy = (deps: Deps, job: Pick<ClaimedJob, "id" | "attempts">) =>
  deps.db
    .updateTable("jobs")
    .where("id", "=", job.id)
    .where("status", "=", "running")
    .where("attempts", "=", job.attempts);

/**
 * Extends a running job's lease until stopped or `abandon` aborts, so a long job is not taken for
 * a crashed one; an abandoned job is left to its lease, and another worker retries it after.
 */
function keepLease(deps: Deps, job: ClaimedJob, everyMs: number, abandon?: AbortSignal): () => void {
  const timer = setInterval(() => {
    heldBy(deps, job)
      .set({ lockedUntil: deps.clock.now() + LEASE_MS })
      .execute()
      .catch(() => undefined); // a lost connection: the next renewal, or another worker, takes over
  }, everyMs);
  const stop = () => {
    clearInterval(timer);
    abandon?.removeEventListener("abort", stop); // one listener per running job, not per job ever run
  };
  abandon?.addEventListener("abort", stop, { once: true });
  return stop;
}

/**
 * What a failed attempt threw, for `lastError`. A handler may throw anything: a string, a plain or
 * null-prototype object (which String() cannot convert), undefined; the failure is recorded all the same.
 */
function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

async function runOne(
  deps: Deps,
  registry: JobRegistry,
  job: ClaimedJob,
  renewEveryMs = RENEW_EVERY_MS,
  abandon?: AbortSignal,
): Promise<void> {
  const definition = registry.get(job.name);
  const stopRenewing = keepLease(deps, job, renewEveryMs, abandon);
  try {
    if (!definition) throw new Error(`No handler registered for job ${job.name}`);
    await definition.run(deps, JSON.parse(job.payload));
    stopRenewing();
    await heldBy(deps, job)
      .set((eb) => ({
        status: "done",
        finishedAt: deps.clock.now(),
        lockedUntil: null,
        lastError: null,
        payload: registry.endedPayload(eb),
      }))
      .execute();
  } catch (error) {
    stopRenewing();
    // PostgreSQL refuses a NUL in text: the failure would go unrecorded and the job stay running.
    const message = errorMessage(error).replaceAll("\u0000", "\uFFFD");
    const exhausted = job.attempts >= job.maxAttempts;
    const backoff = retryDelay(definition, job.attempts);
    await heldBy(deps, job)
      .set((eb) => ({
        status: exhausted ? "failed" : "pending",
        runAt: exhausted ? job.runAt : deps.clock.now() + backoff,
        lockedUntil: null,
        lastError: message.slice(0, 2000),
        finishedAt: exhausted ? deps.clock.now() : null,
        ...(exhausted ? { payload: registry.endedPayload(eb) } : {}),
      }))
      .execute();
  }
}

/**
 * Runs every job due now, one after another, until none is left; returns how many ran. Tests call this with a fake
 * clock. Each job is claimed right before it runs (see runJobsNow), so none waits behind another with its lease.
 */
export async function runDueJobs(deps: Deps, registry: JobRegistry): Promise<number> {
  let total = 0;
  for (let [job] = await claim(deps, registry, 1); job; [job] = await claim(deps, registry, 1)) {
    await runOne(deps, registry, job);
    total++;
  }
  return total;
}

/**
 * Runs these jobs now, in this process, unless a worker already took them: the deliveries of the
 * events a transaction emitted, right after it committed. A job that fails stays queued for its
 * retries like any other.
 */
export async function runJobsNow(deps: Deps, registry: JobRegistry, ids: readonly number[]): Promise<void> {
  // Each is claimed right before it runs: claimed all at once, one waiting behind a slow one would
  // outlive its lease (renewed only while it runs), and another worker would run it as well.
  for (const id of [...ids].sort((a, b) => a - b)) {
    const now = deps.clock.now();
    const job = await deps.db
      .updateTable("jobs")
      .set((eb) => ({ status: "running", attempts: eb("attempts", "+", 1), lockedUntil: now + LEASE_MS }))
      .where("id", "=", id)
      .where("status", "=", "pending")
      // Not one a worker took first and that failed: its retry waits for its backoff.
      .where("runAt", "<=", now)
      .returningAll()
      .executeTakeFirst();
    if (job) await runOne(deps, registry, job);
  }
}

export interface Worker {
  /** Runs due jobs soon instead of at the next poll (after an enqueue in this process). */
  wake(): void;
  /** Claims no more jobs and waits for the running ones, at most `stopWaitMs`. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** Jobs run at once; 4 unless set. */
  concurrency?: number;
  /** Of those, at most this many of one kind, so a slow receiver cannot take every slot; half unless set. */
  perKind?: number;
  /** Pause between looks for due jobs when there is nothing to do. */
  pollMs?: number;
  /** How often a running job's lease is renewed. */
  renewEveryMs?: number;
  /**
   * How long stop() waits for running jobs; 10 s unless set. A job still running then (a hung
   * handler) is abandoned: its lease is no longer renewed, and another worker retries it when the
   * lease runs out.
   */
  stopWaitMs?: number;
}

/**
 * Runs due jobs in the background until stopped, several at once: a webhook that never answers
 * holds one slot (at most `perKind` of them), not the whole queue, so emails, SLA timers,
 * routing and dispatch keep moving.
 */
export function startWorker(deps: Deps, registry: JobRegistry, options: WorkerOptions = {}): Worker {
  const concurrency = options.concurrency ?? 4;
  const perKind = options.perKind ?? Math.max(1, Math.floor(concurrency / 2));
  const pollMs = options.pollMs ?? 1000;
  const stopWaitMs = options.stopWaitMs ?? 10_000;
  const abandon = new AbortController();
  const running = new Map<number, string>(); // job id -> kind
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let filling: Promise<void> | null = null;
  let again = false;

  const fullKinds = () => {
    const counts = new Map<string, number>();
    for (const kind of running.values()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    return [...counts].filter(([, n]) => n >= perKind).map(([kind]) => kind);
  };

  /** Claims one job per free slot, as long as any is due. */
  const fill = async () => {
    while (!stopped && running.size < concurrency) {
      const [job] = await claim(deps, registry, 1, fullKinds());
      if (!job) return;
      running.set(job.id, job.name);
      const run: Promise<void> = runOne(deps, registry, job, options.renewEveryMs, abandon.signal)
        .catch((error) => console.error("job worker:", error))
        .finally(() => {
          running.delete(job.id);
          inFlight.delete(run);
          tick(); // a slot is free
        });
      inFlight.add(run);
    }
  };

  const tick = () => {
    if (stopped) return;
    if (filling) {
      again = true;
      return;
    }
    clearTimeout(timer);
    filling = fill()
      .catch((error) => console.error("job worker:", error))
      .finally(() => {
        filling = null;
        if (again) {
          again = false;
          tick();
        } else if (!stopped) {
          timer = setTimeout(tick, pollMs);
        }
      });
  };
  timer = setTimeout(tick, 0);
  return {
    wake: tick,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      let limit: NodeJS.Timeout | undefined;
      const finished = (async () => {
        await filling;
        await Promise.all(inFlight);
      })();
      await Promise.race([finished, new Promise((resolve) => (limit = setTimeout(resolve, stopWaitMs)))]);
      clearTimeout(limit);
      abandon.abort();
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
