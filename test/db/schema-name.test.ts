import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { openDatabase } from "../../src/db/database.ts";
import { publish } from "../../src/live/live.hub.ts";
import { loadConfig } from "../../src/core/config.ts";
import { fakeClock } from "../../src/core/clock.ts";
import { randomToken } from "../../src/lib/crypto.ts";

const url = process.env.TEST_DATABASE_URL;

/** A schema name of exactly `length` characters, unique to this run. */
const schemaOf = (length: number) => {
  const unique = `cs_${process.pid}_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}_`;
  return unique.padEnd(length, "x");
};

test("a schema name too long for the live and page-cache channels is refused at start", {
  skip: !url && "PostgreSQL only",
}, async () => {
  const tooLong = schemaOf(55);
  await assert.rejects(
    openDatabase({ dataDir: "", databaseUrl: url, databaseSchema: tooLong }),
    /database schema name "cs_.*" is too long: 54 characters at most/,
  );

  // The longest allowed name still publishes: its channel names fit PostgreSQL's 63 bytes.
  const longest = schemaOf(54);
  const handle = await openDatabase({ dataDir: "", databaseUrl: url, databaseSchema: longest });
  try {
    const deps = {
      db: handle.db,
      dialect: handle.dialect,
      clock: fakeClock(Date.UTC(2026, 0, 1)),
      config: { ...loadConfig({}), databaseUrl: url, databaseSchema: longest },
    };
    await publish(deps, "topic:1", "vote", {});
    const rows = await handle.db.selectFrom("liveEvents").select("channel").execute();
    assert.deepEqual(
      rows.map((r) => r.channel),
      ["topic:1"],
    );
  } finally {
    await sql`drop schema ${sql.id(longest)} cascade`.execute(handle.db);
    await handle.close();
  }
});
