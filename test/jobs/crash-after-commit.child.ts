/**
 * Run by events-durability.test.ts in a child process: it opens the test's database (from the
 * usual environment variables), sends one API request through the real app, and dies with
 * SIGKILL the moment that request's transaction has committed, before any event is delivered.
 */
import { buildApp } from "../../src/app/app.ts";
import { loadConfig } from "../../src/core/config.ts";
import { fakeClock } from "../../src/core/clock.ts";
import { openDatabase } from "../../src/db/database.ts";

const request = JSON.parse(process.env.CRASH_REQUEST ?? "{}") as {
  url: string;
  token: string;
  body: unknown;
  now: number;
};
const config = loadConfig(process.env);
const handle = await openDatabase(config);
const app = await buildApp({
  db: handle.db,
  dialect: handle.dialect,
  config,
  clock: fakeClock(request.now),
  // core/transaction.ts calls this right after the commit: the crash point.
  runJobsNow: () => {
    process.kill(process.pid, "SIGKILL");
    return new Promise<void>(() => {});
  },
});
const res = await app.inject({
  method: "POST",
  url: request.url,
  headers: { authorization: `Bearer ${request.token}`, "content-type": "application/json" },
  payload: JSON.stringify(request.body),
});
// Reached only when nothing was committed with events to deliver: the test reports this.
console.log(`survived: ${res.statusCode} ${res.body}`);
await app.close();
await handle.close();
