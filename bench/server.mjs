/**
 * The process under load, started by bench/runner.ts: either the real app on a seeded database, or
 * a bare node:http server answering the app's own bytes (the reference line). A process of its own
 * gives the server one core and the load generator the other. Plain JavaScript run by plain node,
 * and the app is the compiled dist/ that `npm start` runs (`npm run bench` builds it first): what
 * is measured is what production runs, without tsx's loader in the process. Messages: protocol.ts.
 */
import http from "node:http";

const send = (message) => process.send(message);

async function startApp(spec) {
  // Imported here, so the bare node:http reference process loads none of the app.
  const { loadConfig } = await import("../dist/core/config.js");
  const { openDatabase } = await import("../dist/db/database.js");
  const { buildApp } = await import("../dist/app/app.js");
  const { systemClock } = await import("../dist/core/clock.js");
  const config = {
    ...loadConfig({}),
    dataDir: spec.dataDir,
    databaseUrl: spec.databaseUrl,
    databaseSchema: spec.databaseSchema,
    seedDemo: false,
  };
  const database = await openDatabase(config);
  const deps = { db: database.db, dialect: database.dialect, writes: database.writes, config, clock: systemClock };
  const app = await buildApp(deps, { logger: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  send({ type: "ready", port: app.server.address().port });
  return async () => {
    await app.close();
    await database.close();
  };
}

async function startStatic(spec) {
  const pages = new Map(spec.pages.map((p) => [p.path, { type: p.contentType, body: Buffer.from(p.body) }]));
  const server = http.createServer((req, res) => {
    const page = pages.get(req.url ?? "");
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": page.type, "content-length": page.body.length }).end(page.body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  send({ type: "ready", port: server.address().port });
  return () => new Promise((resolve) => server.close(() => resolve()));
}

process.once("message", async (spec) => {
  const stop = spec.kind === "app" ? await startApp(spec) : await startStatic(spec);
  process.on("message", async (message) => {
    if (message.type === "usage") {
      const cpu = process.cpuUsage();
      send({ type: "usage", cpuMicros: cpu.user + cpu.system, maxRssKb: process.resourceUsage().maxRSS });
    } else {
      await stop();
      process.disconnect();
    }
  });
});
