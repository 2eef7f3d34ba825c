import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { buildCommunity, buildTopic, createTestEnv, DATABASES, type TestEnv } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { randomToken } from "../../src/lib/crypto.ts";
import { loadConfig } from "../../src/core/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import type { LiveEvent } from "../../src/core/live-hub.ts";

/** Resolves once `check` holds; the suite's timeout bounds the wait. */
async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Lets the process read what is already on its sockets (the server's goodbye on each connection). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

// Fault injection needs a database server whose connections can be cut: PostgreSQL only.
for (const database of DATABASES.filter((d) => d.name === "postgres")) {
  describe("a lost PostgreSQL connection [postgres]", () => {
    // The app's connections carry a name of their own, so the test cuts exactly those.
    const applicationName = `cs_fault_${randomToken(6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")}`;
    let env: TestEnv;
    let admin: pg.Client;
    before(async () => {
      const url = new URL(database.url);
      url.searchParams.set("application_name", applicationName);
      const base = loadConfig({});
      env = await createTestEnv(
        { name: "postgres", url: url.toString() },
        { rateLimits: { ...base.rateLimits, post: { max: 1000, windowMs: 60_000 } } },
      );
      admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
    });
    after(async () => {
      await admin?.end();
      await env?.close();
    });

    /** Terminates every backend of the app (pool and listener) and waits until they are gone. */
    async function terminateAppConnections(): Promise<number> {
      const { rows } = await admin.query<{ pid: number }>(
        "select pid from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()",
        [applicationName],
      );
      const pids = rows.map((r) => r.pid);
      await admin.query("select pg_terminate_backend(pid) from unnest($1::int[]) as pid", [pids]);
      await eventually(async () => {
        const left = await admin.query("select 1 from pg_stat_activity where pid = any($1::int[])", [pids]);
        return left.rowCount === 0;
      });
      return pids.length;
    }

    test("terminating the app's connections while it serves and writes: it answers, recovers, loses nothing", async () => {
      const { slug, members } = await buildCommunity(env, { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env, slug, asker);
      const live: LiveEvent[] = [];
      env.deps.live!.subscribe([`topic:${topic.id}`], (event) => live.push(event));

      const acknowledged: number[] = [];
      const statuses: number[] = [];
      const writeReplies = async (writer: number) => {
        for (let i = 0; i < 15; i++) {
          const res = await env.api.post(
            `/api/v1/topics/${topic.id}/replies`,
            { body: `Answer ${writer}.${i}: restart the router.` },
            helper.auth,
          );
          statuses.push(res.status);
          if (res.status === 201) acknowledged.push(res.body.reply.id);
        }
      };
      const cuts: number[] = [];
      const cutWhileWriting = async () => {
        for (const after of [5, 20, 35]) {
          await eventually(() => statuses.length >= after);
          cuts.push(await terminateAppConnections());
        }
      };
      await Promise.all([writeReplies(1), writeReplies(2), writeReplies(3), cutWhileWriting()]);

      // Every cut found the pool's connections and the listener's.
      assert.ok(
        cuts.every((n) => n >= 2),
        `connections cut: ${cuts.join(", ")}`,
      );
      // Every request was answered: created, or a clean error for the ones caught by a cut.
      assert.equal(statuses.length, 45);
      assert.deepEqual(
        statuses.filter((s) => s !== 201 && s !== 500),
        [],
      );

      // It recovers: the next requests work on fresh connections.
      await settle();
      assert.equal((await env.api.get(`/api/v1/topics/${topic.id}`)).status, 200);
      const last = await env.api.post(`/api/v1/topics/${topic.id}/replies`, { body: "After the storm." }, helper.auth);
      assert.equal(last.status, 201);
      acknowledged.push(last.body.reply.id);

      // Nothing acknowledged is lost.
      const page = await env.api.get(`/api/v1/topics/${topic.id}`);
      const stored = new Set(page.body.replies.map((r: { id: number }) => r.id));
      assert.deepEqual(
        acknowledged.filter((id) => !stored.has(id)),
        [],
      );

      // Live events: deliveries a cut interrupted are jobs still in the queue; the worker takes them
      // over after their lease. The listener came back and replays what it missed, so this
      // instance's hub receives the event of every acknowledged reply.
      env.clock.advance(10 * 60_000);
      await drainJobs(env);
      await eventually(() =>
        acknowledged.every((id) => live.some((e) => (e.data as { replyId: number }).replyId === id)),
      );
    });
  });
}

test("a DATABASE_URL that cannot be reached says so, without the password, rather than 'migration failed'", async () => {
  // Port 1 on loopback: nothing listens there, and nothing leaves this machine.
  await assert.rejects(
    openDatabase({ dataDir: "", databaseUrl: "postgres://crowdservice:s3cret@127.0.0.1:1/app" }),
    (error: Error) =>
      /^Cannot connect to the database at 127\.0\.0\.1:1\/app: /.test(error.message) &&
      !error.message.includes("s3cret"),
  );
});
