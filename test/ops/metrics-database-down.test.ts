import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { buildApp } from "../../src/app/app.ts";
import { loadConfig } from "../../src/core/config.ts";
import type { Deps } from "../../src/core/deps.ts";
import { openDatabase } from "../../src/db/database.ts";
import { DATABASES } from "../helpers.ts";

const METRICS_TOKEN = "metrics-token-for-tests";

for (const database of DATABASES) {
  test(`/metrics answers with the database down, reporting it as down [${database.name}]`, async () => {
    const schema = `cs_test_metrics_down_${process.pid}`;
    const config = {
      ...loadConfig({}),
      seedDemo: false,
      metricsToken: METRICS_TOKEN,
      ...(database.name === "postgres" ? { databaseUrl: database.url, databaseSchema: schema } : {}),
    };
    const handle = await openDatabase({ ...config, sqliteFile: ":memory:" });
    const deps: Deps = { db: handle.db, dialect: handle.dialect, config, clock: { now: () => Date.now() } };
    const app = await buildApp(deps);
    const scrape = () => app.inject({ url: "/metrics", headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    try {
      await app.inject({ url: "/healthz" });
      const up = await scrape();
      assert.equal(up.statusCode, 200, up.body);
      assert.match(up.body, /^crowdservice_database_up 1$/m);

      // A figure's query failing while the database answers (a table gone) leaves that figure out, not the scrape.
      await sql`alter table jobs rename to jobs_aside`.execute(handle.db);
      try {
        const partial = await scrape();
        assert.equal(partial.statusCode, 200, partial.body);
        assert.match(partial.body, /^crowdservice_database_up 1$/m);
        assert.doesNotMatch(partial.body, /^crowdservice_jobs_due\{/m);
      } finally {
        await sql`alter table jobs_aside rename to jobs`.execute(handle.db);
      }

      if (database.name === "postgres") await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db);
      await handle.close();
      const down = await scrape();
      assert.equal(down.statusCode, 200, down.body);
      assert.match(down.body, /^crowdservice_database_up 0$/m);
      assert.match(down.body, /crowdservice_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/);
    } finally {
      await app.close();
    }
  });
}
