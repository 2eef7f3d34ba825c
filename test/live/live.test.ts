import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  createTestEnv,
  describeEachDatabase,
  DATABASES,
  type TestEnv,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { openSse } from "./sse-client.ts";
import { openDatabase } from "../../src/db/database.ts";
import { buildApp } from "../../src/app/app.ts";
import type { Deps } from "../../src/core/deps.ts";
import { LIMITS } from "../../src/core/config.ts";
import { eventsSince, publish } from "../../src/live/live.hub.ts";

async function listen(app: FastifyInstance): Promise<string> {
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return address;
}

describeEachDatabase("live updates (SSE)", (env) => {
  let base: string;
  before(async () => {
    base = await listen(env().app);
  });

  test("an open topic receives new replies, votes and the solution", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const stream = await openSse(`${base}/api/v1/events?topic=${topic.id}`, { "x-request-id": "live-1" });
    try {
      assert.equal(stream.status, 200);
      assert.equal(stream.headers.get("x-request-id"), "live-1", "the request id, as on every response");
      assert.equal(stream.headers.get("x-content-type-options"), "nosniff", "the security headers too");
      assert.equal(stream.headers.get("cache-control"), "no-store");
      await stream.waitFor((e) => e.type === "ready");
      const reply = await buildReply(env(), topic.id, helper);
      const replied = await stream.waitFor((e) => e.type === "reply");
      assert.deepEqual(replied.data, { channel: `topic:${topic.id}`, topicId: topic.id, replyId: reply.id });
      await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, asker.auth);
      const voted = await stream.waitFor((e) => e.type === "vote");
      assert.equal(voted.data.score, 1);
      await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
      assert.equal((await stream.waitFor((e) => e.type === "accepted")).data.replyId, reply.id);
    } finally {
      stream.close();
    }
  });

  test("the bell: a member's stream receives their new notifications", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const stream = await openSse(`${base}/api/v1/events`, { cookie: asker.cookie });
    try {
      await stream.waitFor((e) => e.type === "ready");
      await buildReply(env(), topic.id, helper);
      await drainJobs(env());
      const event = await stream.waitFor((e) => e.type === "notification");
      assert.equal(event.data.kind, "reply");
      assert.equal(event.data.channel, `user:${asker.id}`);
    } finally {
      stream.close();
    }
  });

  test("a reconnecting client resumes after Last-Event-ID without gaps or repeats", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const first = await openSse(`${base}/api/v1/events?topic=${topic.id}`);
    await first.waitFor((e) => e.type === "ready");
    await buildReply(env(), topic.id, helper, "First answer");
    const seen = await first.waitFor((e) => e.type === "reply");
    first.close();
    // While disconnected, two more replies arrive.
    const r2 = await buildReply(env(), topic.id, helper, "Second answer");
    const r3 = await buildReply(env(), topic.id, helper, "Third answer");
    const second = await openSse(`${base}/api/v1/events?topic=${topic.id}`, { "last-event-id": String(seen.id) });
    try {
      await second.waitFor((e) => e.type === "ready");
      const replayed = second.events.filter((e) => e.type === "reply").map((e) => e.data.replyId);
      assert.deepEqual(replayed, [r2.id, r3.id]);
    } finally {
      second.close();
    }
  });

  test("a replay holds every event since the id, however many; an id never sent replays nothing", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    const channel = `topic:${topic.id}`;
    await publish(env().deps, channel, "mark", { n: 0 });
    const [mark] = await eventsSince(env().deps.db, [channel], 0);
    for (let n = 1; n <= 600; n++) await publish(env().deps, channel, "mark", { n });
    const replay = await openSse(`${base}/api/v1/events?topic=${topic.id}`, { "last-event-id": String(mark.id) });
    try {
      await replay.waitFor((e) => e.type === "ready");
      assert.equal(replay.events.filter((e) => e.type === "mark").length, 600);
    } finally {
      replay.close();
    }
    for (const id of ["99999999999999999999", "-5", "1e3", "abc"]) {
      const odd = await openSse(`${base}/api/v1/events?topic=${topic.id}`, { "last-event-id": id });
      try {
        await odd.waitFor((e) => e.type === "ready");
        assert.equal(odd.events.filter((e) => e.type === "mark").length, 0, id);
      } finally {
        odd.close();
      }
    }
  });

  test("a client ahead of the server (restored database, lagging replica) gets every event from now on", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    const channel = `topic:${topic.id}`;
    await publish(env().deps, channel, "mark", { n: 0 });
    const [kept] = await eventsSince(env().deps.db, [channel], 0);
    const ahead = await openSse(`${base}/api/v1/events?topic=${topic.id}`, { "last-event-id": String(kept.id + 1000) });
    try {
      await ahead.waitFor((e) => e.type === "ready");
      assert.equal(ahead.events.filter((e) => e.type === "mark").length, 0, "nothing replayed");
      await publish(env().deps, channel, "mark", { n: 1 });
      assert.equal((await ahead.waitFor((e) => e.type === "mark")).data.n, 1);
    } finally {
      ahead.close();
    }
  });

  test("a vote on a hidden reply is not sent to the topic's readers", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const hidden = await buildReply(env(), topic.id, helper, "A reply about to be hidden");
    const shown = await buildReply(env(), topic.id, helper, "A reply that stays");
    assert.equal((await env().api.post(`/api/v1/posts/reply/${hidden.id}/hide`, {}, admin.auth)).status, 200);
    const stream = await openSse(`${base}/api/v1/events?topic=${topic.id}`);
    try {
      await stream.waitFor((e) => e.type === "ready");
      assert.equal((await env().api.put(`/api/v1/replies/${hidden.id}/vote`, { value: 1 }, admin.auth)).status, 200);
      await env().api.put(`/api/v1/replies/${shown.id}/vote`, { value: 1 }, asker.auth);
      await stream.waitFor((e) => e.type === "vote" && e.data.id === shown.id);
      assert.deepEqual(
        stream.events.filter((e) => e.type === "vote").map((e) => e.data.id),
        [shown.id],
      );
    } finally {
      stream.close();
    }
  });

  test("private topics and anonymous callers are refused", async () => {
    const { slug, members } = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    const outsider = await openSse(`${base}/api/v1/events?topic=${topic.id}`);
    assert.equal(outsider.status, 404);
    const nothing = await openSse(`${base}/api/v1/events`);
    assert.equal(nothing.status, 401);
    const member = await openSse(`${base}/api/v1/events?topic=${topic.id}`, { cookie: members.member[0].cookie });
    assert.equal(member.status, 200);
    member.close();
  });

  test("logging out everywhere ends the member's open streams: nothing more reaches them", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const bell = await openSse(`${base}/api/v1/events`, { cookie: asker.cookie });
    const watching = await openSse(`${base}/api/v1/events?topic=${topic.id}`, {
      authorization: `Bearer ${asker.auth.token}`,
    });
    try {
      await bell.waitFor((e) => e.type === "ready");
      await watching.waitFor((e) => e.type === "ready");
      // Called with the API token, outside any session: every session and every token ends.
      assert.equal((await env().api.delete("/api/v1/me/sessions", asker.auth)).status, 200);
      await buildReply(env(), topic.id, helper);
      await drainJobs(env());
      await bell.waitFor((e) => e.type === "gone");
      await watching.waitFor((e) => e.type === "gone");
      assert.deepEqual(
        bell.events.filter((e) => e.type === "notification"),
        [],
      );
      assert.deepEqual(
        watching.events.filter((e) => e.type === "reply"),
        [],
      );
    } finally {
      bell.close();
      watching.close();
    }
  });

  test("live connections are capped per account, and another account still connects", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [busy, other] = members.member;
    const topic = await buildTopic(env(), slug, busy);
    const open = [];
    try {
      for (let i = 0; i < LIMITS.liveStreamsPerAccount; i++) {
        const stream = await openSse(`${base}/api/v1/events?topic=${topic.id}`, { cookie: busy.cookie });
        assert.equal(stream.status, 200);
        await stream.waitFor((e) => e.type === "ready");
        open.push(stream);
      }
      const refused = await openSse(`${base}/api/v1/events`, { cookie: busy.cookie });
      assert.equal(refused.status, 429);
      const fine = await openSse(`${base}/api/v1/events`, { cookie: other.cookie });
      assert.equal(fine.status, 200);
      open.push(fine);
    } finally {
      for (const stream of open) stream.close();
    }
  });
});

// Several instances behind a load balancer share one PostgreSQL: an event published on one reaches
// clients of the other. (On SQLite one process is the whole installation, so there is nothing to test.)
for (const database of DATABASES.filter((d) => d.name === "postgres")) {
  describe(`two app instances [${database.name}]`, () => {
    let env: TestEnv;
    let second: FastifyInstance;
    let closeSecond: () => Promise<void>;
    let baseB: string;
    before(async () => {
      env = await createTestEnv(database);
      const handle = await openDatabase({ ...env.deps.config });
      closeSecond = handle.close;
      const depsB: Deps = { db: handle.db, dialect: handle.dialect, config: env.deps.config, clock: env.clock };
      second = await buildApp(depsB);
      baseB = await listen(second);
    });
    after(async () => {
      await second.close();
      await closeSecond();
      await env.close();
    });

    test("a reply posted on instance A reaches a client of instance B", async () => {
      const { slug, members } = await buildCommunity(env, { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env, slug, asker);
      const stream = await openSse(`${baseB}/api/v1/events?topic=${topic.id}`);
      try {
        await stream.waitFor((e) => e.type === "ready");
        const reply = await buildReply(env, topic.id, helper); // posted through instance A
        const event = await stream.waitFor((e) => e.type === "reply");
        assert.equal(event.data.replyId, reply.id);
      } finally {
        stream.close();
      }
    });

    test("events published at the same moment all reach a client, none skipped for a later id sent first", async () => {
      const { slug, members } = await buildCommunity(env, { members: { member: 1 } });
      const topic = await buildTopic(env, slug, members.member[0]);
      const stream = await openSse(`${baseB}/api/v1/events?topic=${topic.id}`);
      const count = 60;
      try {
        await stream.waitFor((e) => e.type === "ready");
        // Many publishers at once over the pool: an id handed out first may commit last.
        await Promise.all(
          Array.from({ length: count }, (_, n) => publish(env.deps, `topic:${topic.id}`, "vote", { n })),
        );
        const votes = () => stream.events.filter((e) => e.type === "vote");
        await stream.waitFor(() => votes().length === count, 10_000).catch(() => undefined);
        assert.deepEqual(
          votes()
            .map((e) => e.data.n)
            .sort((a: number, b: number) => a - b),
          Array.from({ length: count }, (_, n) => n),
        );
        const ids = votes().map((e) => Number(e.id));
        assert.deepEqual(
          ids,
          [...ids].sort((a, b) => a - b),
          "in id order",
        );
      } finally {
        stream.close();
      }
    });
  });
}
