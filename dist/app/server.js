import { loadConfig } from "../core/config.js";
import { openDatabase } from "../db/database.js";
import { buildApp } from "./app.js";
import { systemClock } from "../core/clock.js";
import { ensurePlatformAdmin } from "../accounts/accounts.service.js";
import { DEMO_PASSWORD, seedDemoIfEmpty } from "./demo.seed.js";
import { startWorker } from "../jobs/jobs.js";
import { buildJobRegistry, scheduleRecurringJobs } from "./jobs.js";
import { ensureIndexed } from "../search/search.index.js";
import { installRegistries } from "./registry.js";
installRegistries();
const config = loadConfig();
const database = await openDatabase(config);
const deps = {
    db: database.db,
    dialect: database.dialect,
    writes: database.writes,
    config,
    clock: systemClock,
};
if (config.adminEmail && config.adminPassword)
    await ensurePlatformAdmin(deps, config.adminEmail, config.adminPassword);
const demoLogins = config.seedDemo ? await seedDemoIfEmpty(deps) : null;
// Topics written before the search index existed (or by an import) are indexed once.
await ensureIndexed(deps);
// Every instance runs a worker; on PostgreSQL they share the queue without running a job twice.
const worker = startWorker(deps, buildJobRegistry());
deps.wakeJobs = worker.wake;
await scheduleRecurringJobs(deps);
const app = await buildApp(deps, {
    logger: { level: config.logLevel },
    trustProxy: process.env.TRUST_PROXY === "true",
});
await app.listen({ port: config.port, host: config.host });
const where = database.dialect === "sqlite" ? `SQLite in ${config.dataDir}` : "PostgreSQL";
console.log(`\nCrowdservice is running at ${config.baseUrl} (${where})`);
if (demoLogins) {
    console.log(`Demo community "Demo Telecom": ${config.baseUrl}/c/demo`);
    console.log(`Demo logins (password "${DEMO_PASSWORD}"):`);
    for (const login of demoLogins)
        console.log(`  ${login.email.padEnd(24)} ${login.role}`);
}
if (config.adminEmail)
    console.log(`Platform admin: ${config.adminEmail}`);
for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
        await app.close();
        await worker.stop();
        await database.close();
        process.exit(0);
    });
}
