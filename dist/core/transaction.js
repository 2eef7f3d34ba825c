import { AsyncLocalStorage } from "node:async_hooks";
const current = new AsyncLocalStorage();
/** The transaction of `transaction()` the caller runs in, if any: commit watchers read its events. */
export function currentTransaction() {
    return current.getStore();
}
/** Runs `work` in one transaction, then the jobs it asked to run right after commit. */
export async function transaction(deps, work) {
    // One object throughout, so what `work` records on it (jobs, events) is what runs after commit;
    // the commit itself happens inside its scope, where commit watchers find it.
    const tx = { dialect: deps.dialect, clock: deps.clock, afterCommit: [], events: [] };
    const result = await current.run(tx, () => deps.db.transaction().execute((db) => {
        tx.db = db;
        return work(tx);
    }));
    if (tx.afterCommit.length > 0)
        await deps.runJobsNow?.(tx.afterCommit);
    if (tx.wakeWorker)
        deps.wakeJobs?.();
    return result;
}
