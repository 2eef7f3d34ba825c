import { defineJob, jobRow } from "./jobs.js";
export function defineSubscriber(subscriber) {
    return subscriber;
}
/** The job that delivers an event to one subscriber (for the job registry). */
export function deliveryJob(subscriber) {
    return defineJob({
        name: `on:${subscriber.name}`,
        attempts: subscriber.attempts ?? 8,
        run: (deps, payload) => subscriber.run(deps, payload),
    });
}
let deliveries = new Map();
/** Installs the subscribers the composition root lists: `emit` enqueues one delivery per subscriber. */
export function installSubscribers(subscribers) {
    const byEvent = new Map();
    for (const subscriber of subscribers) {
        const delivery = { job: deliveryJob(subscriber), deferred: subscriber.deferred === true };
        byEvent.set(subscriber.event, [...(byEvent.get(subscriber.event) ?? []), delivery]);
    }
    deliveries = byEvent;
}
/**
 * Records an event in the caller's transaction: one delivery job per subscriber, committed with
 * the change, run right after commit by this process (deferred ones by the worker, which also
 * takes over any delivery a crashed process left behind).
 */
export async function emit(tx, event, payload) {
    tx.events.push({ name: event, payload });
    const list = deliveries.get(event);
    if (!list?.length)
        return;
    const now = tx.clock.now();
    const rows = await tx.db
        .insertInto("jobs")
        .values(list.map((d) => jobRow(now, d.job, payload)))
        .returning("id")
        .execute();
    // Rows come back in insertion order, which is the order of `list`.
    rows.forEach((row, i) => {
        if (!list[i].deferred)
            tx.afterCommit.push(row.id);
    });
    if (list.some((d) => d.deferred))
        tx.wakeWorker = true;
}
