import { test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { buildCommunity, buildTopic, describeEachDatabase, until } from "../helpers.ts";
import { openSse } from "./sse-client.ts";
import { LIMITS } from "../../src/core/config.ts";
import { publish } from "../../src/live/live.hub.ts";

describeEachDatabase("a live stream closed while its missed events are replayed", (env) => {
  test("frees its slot: the member can connect again", async (t) => {
    // On SQLite the replay's query does not wait on anything, so a client cannot leave during it.
    if (env().deps.dialect !== "postgres") return t.skip("only PostgreSQL's replay can be held up");
    const base = await env().app.listen({ port: 0, host: "127.0.0.1" });
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [reader] = members.member;
    const topic = await buildTopic(env(), slug, reader);
    await publish(env().deps, `topic:${topic.id}`, "vote", {});
    const [first] = await env().deps.db.selectFrom("liveEvents").select("id").orderBy("id").limit(1).execute();

    // Another session holds the events table, so each reconnecting stream waits in its replay.
    const holder = new pg.Client({ connectionString: env().deps.config.databaseUrl });
    await holder.connect();
    try {
      await holder.query(`set search_path = ${env().deps.config.databaseSchema}`);
      await holder.query("begin");
      await holder.query("lock table live_events in access exclusive mode");
      for (let i = 0; i < LIMITS.liveStreamsPerAccount; i++) {
        const stream = await openSse(`${base}/api/v1/events?topic=${topic.id}`, {
          cookie: reader.cookie,
          "last-event-id": String(first.id),
        });
        assert.equal(stream.status, 200);
        stream.close(); // gone before its replay could answer
      }
      await holder.query("commit");
    } finally {
      await holder.end();
    }
    await until("a live slot of the member's to be free again", async () => {
      const stream = await openSse(`${base}/api/v1/events`, { cookie: reader.cookie });
      stream.close();
      return stream.status === 200;
    });
  });
});
