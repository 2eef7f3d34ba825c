import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { buildCommunity, buildTopic, createTestEnv, DATABASES } from "../helpers.ts";

/** Resolves once `condition` holds, checked at every turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** A raw HTTP/1.1 connection to the server: what it receives, and whether it was closed. */
function connect(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  const state = { received: "", closed: false, reset: false };
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    state.received += chunk;
  });
  socket.on("error", () => {
    state.reset = true;
  });
  socket.on("close", () => {
    state.closed = true;
  });
  return { socket, state };
}

for (const database of DATABASES) {
  test(`a shutdown lets requests in flight finish and ends live streams [${database.name}]`, async () => {
    const env = await createTestEnv(database);
    try {
      const { slug, admin } = await buildCommunity(env);
      const topic = await buildTopic(env, slug, admin);
      await env.app.listen({ host: "127.0.0.1", port: 0 });
      const { port } = env.app.server.address() as AddressInfo;

      // A live stream of the topic, open when the shutdown starts.
      const stream = connect(port);
      stream.socket.write(`GET /api/v1/events?topic=${topic.id} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await until(() => stream.state.received.includes("event: ready"));

      // A request in flight: its headers are in, half of its body is not.
      const body = JSON.stringify({ kind: "question", title: "Posted while the server stops", body: "Still saved?" });
      const posting = connect(port);
      let requested = false;
      env.app.server.prependOnceListener("request", () => {
        requested = true;
      });
      posting.socket.write(
        `POST /api/v1/communities/${slug}/topics HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
          `Authorization: Bearer ${admin.auth.token}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`,
      );
      await until(() => requested);

      const closing = env.app.close();
      await until(() => !env.app.server.listening);
      posting.socket.write(body.slice(20));
      await until(() => posting.state.closed || /\r\n\r\n\{.*\}$/s.test(posting.state.received));
      assert.equal(posting.state.reset, false, "the connection of the request in flight is not cut");
      assert.match(posting.state.received, /^HTTP\/1\.1 201 /, posting.state.received);
      const created = JSON.parse(posting.state.received.slice(posting.state.received.indexOf("\r\n\r\n") + 4));
      // Its connection is closed after the response, not kept alive to hold the shutdown up.
      assert.match(posting.state.received, /\r\nconnection: close\r\n/i);
      await until(() => posting.state.closed);
      await closing;

      // The stream ended without "gone" (that tells a browser to stop): EventSource reconnects elsewhere.
      await until(() => stream.state.closed);
      assert.doesNotMatch(stream.state.received, /event: gone/);
      const saved = await env.deps.db
        .selectFrom("topics")
        .select("title")
        .where("id", "=", created.topic.id)
        .executeTakeFirst();
      assert.equal(saved?.title, "Posted while the server stops");
    } finally {
      await env.close();
    }
  });
}
