import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { sql } from "kysely";
import { buildCommunity, buildTopic, describeEachDatabase, until } from "../helpers.ts";
import { LiveHub } from "../../src/core/live-hub.ts";
import { listenPostgres, notifyChannel, publish, startPostgresListener } from "../../src/live/live.hub.ts";

describeEachDatabase("the PostgreSQL listener that feeds an instance's streams", (env) => {
  test("an event it could not read goes out with the next one, in order, not never", async (t) => {
    // On SQLite one process is the whole installation: publish hands events to the hub itself.
    if (env().deps.dialect !== "postgres") return t.skip("only PostgreSQL instances listen");
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    const channel = `topic:${topic.id}`;
    const hub = new LiveHub();
    const received: number[] = [];
    hub.subscribe([channel], (event) => received.push((event.data as { n: number }).n));
    // The listener's reads fail once, as over a connection reset mid-query.
    let failNextRead = false;
    const db = new Proxy(env().deps.db, {
      get(target, prop) {
        if (prop === "selectFrom" && failNextRead) {
          failNextRead = false;
          throw new Error("connection reset");
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const logged: string[] = [];
    const listener = await startPostgresListener({ ...env().deps, db }, hub, (message) => logged.push(message));
    try {
      failNextRead = true;
      await publish(env().deps, channel, "mark", { n: 1 });
      await until("the failed read to be logged", async () => logged.length > 0);
      await publish(env().deps, channel, "mark", { n: 2 });
      await until("the next event to reach the hub", async () => received.includes(2));
      assert.deepEqual(received, [1, 2]);
    } finally {
      await listener.stop();
    }
  });

  test("stopped while reconnecting, it leaves no connection open", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("only PostgreSQL instances listen");
    // A proxy in front of PostgreSQL that can hold a new connection back: the stop comes while
    // the reconnect is opening it.
    const upstream = new URL(env().deps.config.databaseUrl ?? "");
    const sockets: net.Socket[] = [];
    let held: Promise<void> = Promise.resolve();
    const proxy = net.createServer(async (socket) => {
      socket.pause();
      sockets.push(socket);
      socket.on("error", () => undefined);
      await held;
      const server = net.connect(Number(upstream.port || 5432), upstream.hostname);
      server.on("error", () => socket.destroy());
      socket.on("close", () => server.destroy());
      server.on("close", () => socket.destroy());
      socket.pipe(server).pipe(socket);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const viaProxy = new URL(upstream);
    viaProxy.host = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const channel = `${notifyChannel(env().deps.config.databaseSchema)}_stop`;
    const config = { ...env().deps.config, databaseUrl: viaProxy.toString() };
    const listener = await listenPostgres({ ...env().deps, config }, channel, { onPayload() {}, log() {} });
    try {
      let release = () => {};
      held = new Promise((resolve) => (release = resolve));
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = ${`LISTEN "${channel}"`}`.execute(
        env().deps.db,
      );
      await until("the reconnect to open a connection", async () => sockets.length === 2);
      await listener.stop();
      release();
      await until("the reconnect's connection to close", async () => sockets[1].closed);
    } finally {
      for (const socket of sockets) socket.destroy();
      proxy.close();
    }
  });
});
