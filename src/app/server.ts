import { loadConfig } from "../core/config.ts";
import { openDatabase } from "../db/database.ts";
import { buildApp } from "./app.ts";
import { systemClock } from "../core/clock.ts";
import type { Deps } from "../core/deps.ts";
import { ensurePlatformAdmin } from "../accounts/accounts.service.ts";
import { DEMO_PASSWORD, seedDemoIfEmpty } from "./demo.seed.ts";
import { startWorker } from "../jobs/jobs.ts";
import { buildJobRegistry, scheduleRecurringJobs } from "./jobs.ts";
import { ensureIndexed } from "../search/search.index.ts";
import { installRegistries } from "./registry.ts";

installRegistries();
const config = loadConfig();
const database = await openDatabase(config);
const deps: Deps = {
  db: database.db,
  dialect: database.dialect,
  writes: database.writes,
  config,
  clock: systemClock,
};

if (config.adminEmail && config.adminPassword) await ensurePlatformAdmin(deps, config.adminEmail, config.adminPassword);
const demoLogins = config.seedDemo ? await seedDemoIfEmpty(deps) : null;
// Topics written before the search index existed (or by an import) are indexed once.
await ensureIndexed(deps);

// Every instance runs a worker; on PostgreSQL they share the queue without running a job twice.
const worker = startWorker(deps, buildJobRegistry());
deps.wakeJobs = worker.wake;
await scheduleRecurringJobs(deps);

const app = await buildApp(deps, {
  logger: { level: config.logLevel },
  trustProxy: config.trustProxy,
});
await app.listen({ port: config.port, host: config.host });

const where = database.dialect === "sqlite" ? `SQLite in ${config.dataDir}` : "PostgreSQL";
console.log(`\nCrowdservice is running at ${config.baseUrl} (${where})`);
if (demoLogins) {
  console.log(`Demo community "Demo Telecom": ${config.baseUrl}/c/demo`);
  console.log(`Demo logins (password "${DEMO_PASSWORD}"):`);
  for (const login of demoLogins) console.log(`  ${login.email.padEnd(24)} ${login.role}`);
}
if (config.adminEmail) console.log(`Platform admin: ${config.adminEmail}`);

/** Requests still running this long after a stop signal are cut off (a container's grace period is often 30 s). */
const SHUTDOWN_GRACE_MS = 25_000;

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    setTimeout(() => {
      console.error(`Requests still running ${SHUTDOWN_GRACE_MS / 1000} s after ${signal}: stopping anyway.`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    await app.close();
    await worker.stop();
    await database.close();
    process.exit(0);
  });
}
