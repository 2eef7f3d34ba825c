import { test } from "node:test";
import assert from "node:assert/strict";
import type { KyselyPlugin } from "kysely";
import { buildCommunity, buildTopic, createTestEnv, DATABASES } from "../helpers.ts";
import { openSse } from "./sse-client.ts";
import { buildApp } from "../../src/app/app.ts";
import type { Deps } from "../../src/core/deps.ts";
import { publish } from "../../src/live/live.hub.ts";

// SQLite only: there a publish is delivered in-process, so nothing but the streams' checks queries.
test("an event seen by N members reads its topic once, not once per member", async () => {
  const env = await createTestEnv(DATABASES[0]);
  let queries = 0;
  // Counted at the result: prepared queries are compiled once and never pass transformQuery again.
  const counter: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      queries++;
      return args.result;
    },
  };
  const counted: Deps = { ...env.deps, db: env.deps.db.withPlugin(counter), live: undefined };
  const app = await buildApp(counted);
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  const n = 3;
  const { slug, members } = await buildCommunity(env, { members: { member: n } });
  const topic = await buildTopic(env, slug, members.member[0]);
  const streams = await Promise.all(
    members.member.map((m) => openSse(`${base}/api/v1/events?topic=${topic.id}`, { cookie: m.cookie })),
  );
  try {
    await Promise.all(streams.map((s) => s.waitFor((e) => e.type === "ready")));
    queries = 0;
    await publish({ ...env.deps, live: counted.live }, `topic:${topic.id}`, "mark", {});
    await Promise.all(streams.map((s) => s.waitFor((e) => e.type === "mark")));
    // Each member: their session and their access to the community; the topic: once for all.
    assert.equal(queries, 2 * n + 1);
  } finally {
    for (const s of streams) s.close();
    await app.close();
    await env.close();
  }
});
