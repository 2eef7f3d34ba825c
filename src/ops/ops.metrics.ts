import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Deps } from "../core/deps.ts";
import { poolStats } from "../db/database.ts";
import { deliveryCounts, ping, queueState } from "./ops.queries.ts";

/** A query's answer, or undefined when it failed: one figure missing must not fail the whole scrape. */
const orNothing = <T>(query: Promise<T>): Promise<T | undefined> => query.catch(() => undefined);

/** The database's figures, all read at once per scrape; each undefined when its query failed. */
async function readDatabase(deps: Deps) {
  const [up, queue, deliveries] = await Promise.all([
    ping(deps.db).then(
      () => true,
      () => false,
    ),
    orNothing(queueState(deps.db, deps.clock.now())),
    orNothing(deliveryCounts(deps.db)),
  ]);
  return { up, queue, deliveries };
}

/**
 * The Prometheus metrics of one app instance, in its own registry (tests build many apps in one
 * process). Request figures are counted as requests end; the database figures are read when
 * scraped, so an idle instance costs nothing. A figure whose query fails is left empty (0 when it
 * has no labels) rather than failing the scrape; with the database down, crowdservice_database_up
 * says 0 (/readyz says why) and the request figures still come.
 */
export function createMetrics(deps: Deps) {
  const registry = new Registry();
  const requests = new Counter({
    name: "crowdservice_http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "crowdservice_http_request_duration_seconds",
    help: "HTTP request latency by method and route",
    labelNames: ["method", "route"],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: "crowdservice_db_pool_connections",
    help: "PostgreSQL pool connections by state (total, idle, waiting clients); absent on SQLite",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const stats = poolStats(deps.db);
      if (!stats) return;
      for (const [state, value] of Object.entries(stats)) this.set({ state }, value);
    },
  });
  // Read once for the gauges of one scrape (they collect at the same time), then read afresh.
  let scrape: ReturnType<typeof readDatabase> | undefined;
  const database = () => {
    scrape ??= readDatabase(deps).finally(() => {
      scrape = undefined;
    });
    return scrape;
  };
  new Gauge({
    name: "crowdservice_database_up",
    help: "Whether the database answers (1) or not (0)",
    registers: [registry],
    async collect() {
      this.set((await database()).up ? 1 : 0);
    },
  });
  new Gauge({
    name: "crowdservice_jobs_due",
    help: "Jobs due and waiting for the worker, by kind",
    labelNames: ["name"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await database()).queue?.due ?? []) this.set({ name: row.name }, row.count);
    },
  });
  new Gauge({
    name: "crowdservice_jobs_oldest_due_age_seconds",
    help: "How long the oldest due job has waited",
    registers: [registry],
    async collect() {
      this.set(((await database()).queue?.oldestDueAgeMs ?? 0) / 1000);
    },
  });
  new Gauge({
    name: "crowdservice_jobs_failed",
    help: "Jobs that used up their attempts, by kind",
    labelNames: ["name"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await database()).queue?.failed ?? []) this.set({ name: row.name }, row.count);
    },
  });
  new Gauge({
    name: "crowdservice_deliveries",
    help: "Emails and webhook deliveries by status (pending, sent or delivered, failed)",
    labelNames: ["channel", "status"],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = (await database()).deliveries;
      for (const row of counts?.emails ?? []) this.set({ channel: "email", status: row.status }, row.count);
      for (const row of counts?.webhooks ?? []) this.set({ channel: "webhook", status: row.status }, row.count);
    },
  });
  return {
    registry,
    observe(method: string, route: string, status: number, seconds: number) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
  };
}
