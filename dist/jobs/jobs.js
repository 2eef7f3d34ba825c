export function defineJob(definition) {
    return definition;
}
export const defaultBackoff = (attempt) => Math.min(10_000 * 2 ** (attempt - 1), 6 * 3600_000);
/** Jobs by name; each domain registers its definitions explicitly at start-up. */
export class JobRegistry {
    jobs = new Map();
    register(...definitions) {
        for (const d of definitions) {
            if (this.jobs.has(d.name))
                throw new Error(`Job ${d.name} is registered twice`);
            this.jobs.set(d.name, d);
        }
        return this;
    }
    get(name) {
        return this.jobs.get(name);
    }
}
/** The row of a job to run. */
export function jobRow(now, job, payload, options = {}) {
    return {
        name: job.name,
        payload: JSON.stringify(payload),
        status: "pending",
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
export async function enqueue(ctx, job, payload, options = {}) {
    await ctx.db
        .insertInto("jobs")
        .values(jobRow(ctx.clock.now(), job, payload, options))
        .onConflict((oc) => oc.column("dedupeKey").doNothing())
        .execute();
}
/** How long a claimed job may run before another worker takes it to have crashed. */
const LEASE_MS = 5 * 60_000;
async function claim(deps, limit) {
    const now = deps.clock.now();
    return deps.db
        .updateTable("jobs")
        .set((eb) => ({ status: "running", attempts: eb("attempts", "+", 1), lockedUntil: now + LEASE_MS }))
        .where("id", "in", (eb) => {
        let due = eb
            .selectFrom("jobs")
            .select("id")
            .where((w) => w.or([
            w.and([w("status", "=", "pending"), w("runAt", "<=", now)]),
            w.and([w("status", "=", "running"), w("lockedUntil", "<", now)]),
        ]))
            .orderBy("runAt")
            .limit(limit);
        if (deps.dialect === "postgres")
            due = due.forUpdate().skipLocked();
        return due;
    })
        .returningAll()
        .execute();
}
async function runOne(deps, registry, job) {
    const definition = registry.get(job.name);
    try {
        if (!definition)
            throw new Error(`No handler registered for job ${job.name}`);
        await definition.run(deps, JSON.parse(job.payload));
        await deps.db
            .updateTable("jobs")
            .set({ status: "done", finishedAt: deps.clock.now(), lockedUntil: null, lastError: null })
            .where("id", "=", job.id)
            .execute();
    }
    catch (error) {
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
/** Runs every job due now, batch after batch, until none is left; returns how many ran. Tests call this with a fake clock. */
export async function runDueJobs(deps, registry, batchSize = 20) {
    let total = 0;
    for (;;) {
        const batch = await claim(deps, batchSize);
        if (batch.length === 0)
            return total;
        for (const job of batch)
            await runOne(deps, registry, job);
        total += batch.length;
    }
}
/**
 * Runs these jobs now, in this process, unless a worker already took them: the deliveries of the
 * events a transaction emitted, right after it committed. A job that fails stays queued for its
 * retries like any other.
 */
export async function runJobsNow(deps, registry, ids) {
    const now = deps.clock.now();
    const claimed = await deps.db
        .updateTable("jobs")
        .set((eb) => ({ status: "running", attempts: eb("attempts", "+", 1), lockedUntil: now + LEASE_MS }))
        .where("id", "in", ids)
        .where("status", "=", "pending")
        .returningAll()
        .execute();
    for (const job of claimed.sort((a, b) => a.id - b.id))
        await runOne(deps, registry, job);
}
/** Polls for due jobs in the background until stopped. */
export function startWorker(deps, registry, pollMs = 1000) {
    let stopped = false;
    let timer;
    let running = Promise.resolve();
    const tick = () => {
        clearTimeout(timer);
        running = running
            .then(() => runDueJobs(deps, registry))
            .then(() => undefined, (error) => console.error("job worker:", error))
            .finally(() => {
            clearTimeout(timer);
            if (!stopped)
                timer = setTimeout(tick, pollMs);
        });
    };
    timer = setTimeout(tick, 0);
    return {
        wake: () => {
            if (!stopped)
                tick();
        },
        stop: async () => {
            stopped = true;
            clearTimeout(timer);
            await running;
        },
    };
}
/** State of the queue for admins: counts by status and the latest failures. */
export async function queueStatus(db) {
    const counts = await db
        .selectFrom("jobs")
        .select(["status", (eb) => eb.fn.countAll().as("count")])
        .groupBy("status")
        .execute();
    const failures = await db
        .selectFrom("jobs")
        .select(["id", "name", "attempts", "lastError", "runAt", "status"])
        .where((eb) => eb.or([eb("status", "=", "failed"), eb.and([eb("status", "=", "pending"), eb("lastError", "is not", null)])]))
        .orderBy("id", "desc")
        .limit(50)
        .execute();
    return { counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.count)])), failures };
}
