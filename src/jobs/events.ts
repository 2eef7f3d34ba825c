import type { Deps } from "../core/deps.ts";
import type { Tx } from "../core/transaction.ts";
import { defineJob, jobRow, type JobDefinition } from "./jobs.ts";

/**
 * Every domain event and its payload. A domain declares the events it emits by merging them into
 * this interface (`declare module "../jobs/events.ts"`); payloads are small and JSON (ids, not
 * rows): subscribers load what they need when they run, and check visibility then.
 */
// biome-ignore lint/suspicious/noEmptyInterface: the domains merge their events into it
export interface DomainEvents {}
export type EventName = keyof DomainEvents & string;

export interface Subscriber<E extends EventName> {
  /** Unique; the delivery job is named `on:<name>`. */
  name: string;
  event: E;
  /** Attempts before a delivery is marked failed; 8 unless set. */
  attempts?: number;
  /**
   * Work that can wait (badges) is left to the job worker; by default a delivery runs right after
   * the change commits, so what the member sees next (search, live pages, the staff queue) follows.
   */
  deferred?: boolean;
  /** Must be idempotent: a delivery can run twice (at least once). */
  run(deps: Deps, payload: DomainEvents[E]): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds subscribers of every event
type AnySubscriber = Subscriber<any>;

export function defineSubscriber<E extends EventName>(subscriber: Subscriber<E>): Subscriber<E> {
  return subscriber;
}

/** The job that delivers an event to one subscriber (for the job registry). */
export function deliveryJob(subscriber: AnySubscriber): JobDefinition<unknown> {
  return defineJob<unknown>({
    name: `on:${subscriber.name}`,
    attempts: subscriber.attempts ?? 8,
    run: (deps, payload) => subscriber.run(deps, payload),
  });
}

let deliveries = new Map<string, { job: JobDefinition<unknown>; deferred: boolean }[]>();

/** Installs the subscribers the composition root lists: `emit` enqueues one delivery per subscriber. */
export function installSubscribers(subscribers: readonly AnySubscriber[]): void {
  const byEvent = new Map<string, { job: JobDefinition<unknown>; deferred: boolean }[]>();
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
export async function emit<E extends EventName>(tx: Tx, event: E, payload: DomainEvents[E]): Promise<void> {
  tx.events.push({ name: event, payload });
  const list = deliveries.get(event);
  if (!list?.length) return;
  const now = tx.clock.now();
  const rows = await tx.db
    .insertInto("jobs")
    .values(list.map((d) => jobRow(now, d.job, payload)))
    .returning("id")
    .execute();
  // Rows come back in insertion order, which is the order of `list`.
  rows.forEach((row, i) => {
    if (!list[i].deferred) tx.afterCommit.push(row.id);
  });
  if (list.some((d) => d.deferred)) tx.wakeWorker = true;
}
