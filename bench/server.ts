/**
 * The process under load, started by bench.ts: either the real app on a seeded database, or a
 * bare node:http server answering the app's own bytes (the reference line). A process of its own
 * gives the server one core and the load generator the other.
 *
 * Messages from the parent: {type: "usage"} -> {type: "usage", cpuMicros, maxRssKb}; {type: "stop"}.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Config } from "../src/core/config.ts";
import type { Deps } from "../src/core/deps.ts";

export type ServerSpec =
  | { kind: "app"; dataDir: string; databaseUrl?: string; databaseSchema?: string }
  | { kind: "static"; pages: StaticPage[] };

export interface StaticPage {
  path: string;
  contentType: string;
  body: Uint8Array;
}

export type ServerMessage = { type: "ready"; port: number } | { type: "usage"; cpuMicros: number; maxRssKb: number };

const send = (message: ServerMessage) => process.send!(message);

async function startApp(spec: Extract<ServerSpec, { kind: "app" }>): Promise<() => Promise<void>> {
  // Imported here, so the bare node:http reference process loads none of the app.
  const { loadConfig } = await import("../src/core/config.ts");
  const { openDatabase } = await import("../src/db/database.ts");
  const { buildApp } = await import("../src/app/app.ts");
  const { systemClock } = await import("../src/core/clock.ts");
  const config: Config = {
    ...loadConfig({}),
    dataDir: spec.dataDir,
    databaseUrl: spec.databaseUrl,
    databaseSchema: spec.databaseSchema,
    seedDemo: false,
  };
  const database = await openDatabase(config);
  const deps: Deps = {
    db: database.db,
    dialect: database.dialect,
    writes: database.writes,
    config,
    clock: systemClock,
  };
  const app = await buildApp(deps, { logger: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  send({ type: "ready", port: (app.server.address() as AddressInfo).port });
  return async () => {
    await app.close();
    await database.close();
  };
}

async function startStatic(spec: Extract<ServerSpec, { kind: "static" }>): Promise<() => Promise<void>> {
  const pages = new Map(spec.pages.map((p) => [p.path, { type: p.contentType, body: Buffer.from(p.body) }]));
  const server = http.createServer((req, res) => {
    const page = pages.get(req.url ?? "");
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": page.type, "content-length": page.body.length }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  send({ type: "ready", port: (server.address() as AddressInfo).port });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

process.once("message", async (spec: ServerSpec) => {
  const stop = spec.kind === "app" ? await startApp(spec) : await startStatic(spec);
  process.on("message", async (message: { type: "usage" | "stop" }) => {
    if (message.type === "usage") {
      const cpu = process.cpuUsage();
      send({ type: "usage", cpuMicros: cpu.user + cpu.system, maxRssKb: process.resourceUsage().maxRSS });
    } else {
      await stop();
      process.disconnect();
    }
  });
});
