import { AsyncLocalStorage } from "node:async_hooks";
import type { Db, Dialect } from "../db/database.ts";
import type { Clock } from "./clock.ts";
import type { Deps } from "./deps.ts";

/**
 * A use case's transaction: its queries, the clock, and the jobs it enqueued that should run as
 * soon as it commits (the deliveries of the events it emitted). If the process dies in between,
 * the job worker runs them later: they are rows written in this very transaction.
 */
export interface Tx {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  afterCommit: number[];
  /** The worker should look for due jobs once this commits (deferred deliveries). */
  wakeWorker?: boolean;
  /** The domain events emitted so far, for whoever watches commits (the page cache's invalidation). */
  events: { name: string; payload: unknown }[];
}

const current = new AsyncLocalStorage<Tx>();

/** The transaction of `transaction()` the caller runs in, if any: commit watchers read its events. */
export function currentTransaction(): Tx | undefined {
  return current.getStore();
}

/**
 * Runs `work` in one transaction, then the jobs it asked to run right after commit. Given the
 * queries of the transaction it runs in (`{ ...deps, db: tx.db }`), `work` joins that transaction:
 * a use case made of others commits or fails as one, and its jobs run when the outer one commits.
 */
export async function transaction<T>(
  deps: Pick<Deps, "db" | "dialect" | "clock" | "runJobsNow" | "wakeJobs">,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const outer = current.getStore();
  if (outer && outer.db === deps.db) return work(outer);
  // One object throughout, so what `work` records on it (jobs, events) is what runs after commit;
  // the commit itself happens inside its scope, where commit watchers find it.
  const tx = { dialect: deps.dialect, clock: deps.clock, afterCommit: [], events: [] } as unknown as Tx;
  const result = await current.run(tx, () =>
    deps.db.transaction().execute((db) => {
      tx.db = db;
      return work(tx);
    }),
  );
  // The change is committed: a failure here (a lost connection) must not turn it into an error.
  // The jobs are rows, so the worker runs them later.
  if (tx.afterCommit.length > 0) {
    await deps.runJobsNow?.(tx.afterCommit).catch((error: Error) => console.error(`after commit: ${error.message}`));
  }
  if (tx.wakeWorker) deps.wakeJobs?.();
  return result;
}
