import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { buildApp } from "../../src/app/app.ts";
import { openDatabase } from "../../src/db/database.ts";
import type { Deps } from "../../src/core/deps.ts";
import { DATABASES, describeEachDatabase } from "../helpers.ts";

const METRICS_TOKEN = "metrics-token-for-tests";

describeEachDatabase(
  "operations: health, readiness, metrics, request ids",
  (env) => {
    test("/healthz answers, and every response carries its request id", async () => {
      const res = await env().app.inject({ url: "/healthz" });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { ok: true });
      assert.match(String(res.headers["x-request-id"]), /^[0-9a-f-]{36}$/);
      const given = await env().app.inject({ url: "/healthz", headers: { "x-request-id": "proxy-42.a" } });
      assert.equal(given.headers["x-request-id"], "proxy-42.a", "a sane id from the proxy is kept");
      const odd = await env().app.inject({ url: "/healthz", headers: { "x-request-id": "bad id\nwith newline" } });
      assert.notEqual(odd.headers["x-request-id"], "bad id\nwith newline");
    });

    test("/readyz: ready, then 503 with the reason when a migration is missing or the queue stalls", async () => {
      const ready = await env().app.inject({ url: "/readyz" });
      assert.equal(ready.statusCode, 200, ready.body);
      assert.deepEqual(ready.json(), { status: "ready", reasons: [] });

      await sql`delete from kysely_migration where name = '010_search_ranking'`.execute(env().deps.db);
      try {
        const missing = await env().app.inject({ url: "/readyz" });
        assert.equal(missing.statusCode, 503);
        assert.deepEqual(missing.json().reasons, ["migrations not applied: 010_search_ranking"]);
      } finally {
        await sql`insert into kysely_migration (name, timestamp) values ('010_search_ranking', ${new Date().toISOString()})`.execute(
          env().deps.db,
        );
      }

      const now = env().clock.now();
      // A job this version does not know (a newer version's, left after a rollback) waits for that version:
      // it must not take this instance out of service.
      const unknown = await env()
        .deps.db.insertInto("jobs")
        .values({
          ...{ name: "from.a.newer.version", payload: "{}", status: "pending", runAt: now - 60 * 60_000 },
          ...{ attempts: 0, maxAttempts: 1, lockedUntil: null, lastError: null, dedupeKey: null, createdAt: now },
          finishedAt: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      try {
        const waiting = await env().app.inject({ url: "/readyz" });
        assert.equal(waiting.statusCode, 200, waiting.body);
      } finally {
        await env().deps.db.deleteFrom("jobs").where("id", "=", unknown.id).execute();
      }

      const job = await env()
        .deps.db.insertInto("jobs")
        .values({
          ...{ name: "maintenance.hourly", payload: "{}", status: "pending", runAt: now - 6 * 60_000, attempts: 0 },
          ...{ maxAttempts: 1, lockedUntil: null, lastError: null, dedupeKey: null, createdAt: now, finishedAt: null },
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      try {
        const stalled = await env().app.inject({ url: "/readyz" });
        assert.equal(stalled.statusCode, 503);
        assert.match(stalled.json().reasons.join(), /job queue: the oldest due job has waited 360 s/);
      } finally {
        await env().deps.db.deleteFrom("jobs").where("id", "=", job.id).execute();
      }
      assert.equal((await env().app.inject({ url: "/readyz" })).statusCode, 200);

      // A job claimed by a worker that died waits again once its lease has run out.
      const claimed = await env()
        .deps.db.insertInto("jobs")
        .values({
          ...{ name: "maintenance.hourly", payload: "{}", status: "running", runAt: now - 60 * 60_000, attempts: 1 },
          ...{ maxAttempts: 3, lockedUntil: now + 60_000, lastError: null, dedupeKey: null, createdAt: now },
          finishedAt: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      try {
        assert.equal((await env().app.inject({ url: "/readyz" })).statusCode, 200, "its worker holds the lease");
        await env()
          .deps.db.updateTable("jobs")
          .set({ lockedUntil: now - 6 * 60_000 })
          .where("id", "=", claimed.id)
          .execute();
        const orphaned = await env().app.inject({ url: "/readyz" });
        assert.equal(orphaned.statusCode, 503);
        assert.match(orphaned.json().reasons.join(), /job queue: the oldest due job has waited 360 s/);
      } finally {
        await env().deps.db.deleteFrom("jobs").where("id", "=", claimed.id).execute();
      }
      assert.equal((await env().app.inject({ url: "/readyz" })).statusCode, 200);

      // A check that fails after the ping is a reason (503), not a 500.
      await sql`alter table jobs rename to jobs_aside`.execute(env().deps.db);
      try {
        const broken = await env().app.inject({ url: "/readyz" });
        assert.equal(broken.statusCode, 503, broken.body);
        assert.match(broken.json().reasons.join(), /^job queue: /);
      } finally {
        await sql`alter table jobs_aside rename to jobs`.execute(env().deps.db);
      }
      assert.equal((await env().app.inject({ url: "/readyz" })).statusCode, 200);
    });

    test("/metrics: refused without its token, Prometheus text with it", async () => {
      await env().app.inject({ url: "/healthz" });
      await env().app.inject({ url: "/api/v1/communities/nope" });
      assert.equal(
        (await env().app.inject({ url: "/c/%E0%A4%A" })).statusCode,
        400,
        "an address the router cannot decode",
      );
      const none = await env().app.inject({ url: "/metrics" });
      assert.equal(none.statusCode, 401);
      const wrong = await env().app.inject({ url: "/metrics", headers: { authorization: "Bearer nope" } });
      assert.equal(wrong.statusCode, 401);
      const res = await env().app.inject({ url: "/metrics", headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers["content-type"]), /^text\/plain/);
      assert.equal(res.headers["cache-control"], "no-store", "a figure of this moment, for the token's holder only");
      assert.match(res.body, /crowdservice_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
      assert.match(
        res.body,
        /crowdservice_http_requests_total\{method="GET",route="\/api\/v1\/communities\/:slug",status="404"\} 1/,
        "routes by pattern, not by URL",
      );
      assert.match(
        res.body,
        /crowdservice_http_requests_total\{method="GET",route="unmatched",status="400"\} 1/,
        "a request refused before routing is counted too",
      );
      assert.match(res.body, /crowdservice_http_request_duration_seconds_bucket/);
      assert.match(res.body, /crowdservice_jobs_oldest_due_age_seconds \d/);
      if (env().deps.dialect === "postgres")
        assert.match(res.body, /crowdservice_db_pool_connections\{state="total"\} \d/);
    });
  },
  { metricsToken: METRICS_TOKEN },
);

for (const database of DATABASES) {
  test(`/readyz fails when the database is gone; /metrics is off without a token [${database.name}]`, async () => {
    const schema = `cs_test_ops_${process.pid}`;
    const config = {
      ...(await import("../../src/core/config.ts")).loadConfig({}),
      seedDemo: false,
      ...(database.name === "postgres" ? { databaseUrl: database.url, databaseSchema: schema } : {}),
    };
    const handle = await openDatabase({ ...config, sqliteFile: ":memory:" });
    const deps: Deps = { db: handle.db, dialect: handle.dialect, config, clock: { now: () => Date.now() } };
    const app = await buildApp(deps);
    try {
      assert.equal((await app.inject({ url: "/metrics" })).statusCode, 404);
      assert.equal((await app.inject({ url: "/readyz" })).statusCode, 200);
      if (database.name === "postgres") await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db);
      await handle.close();
      const gone = await app.inject({ url: "/readyz" });
      assert.equal(gone.statusCode, 503);
      assert.match(gone.json().reasons[0], /^database: /);
      assert.equal((await app.inject({ url: "/healthz" })).statusCode, 200, "the process itself is alive");
    } finally {
      await app.close();
    }
  });
}
