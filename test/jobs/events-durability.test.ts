import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildJobRegistry } from "../../src/app/jobs.ts";
import { runDueJobs } from "../../src/jobs/jobs.ts";
import { buildCommunity, buildTopic, buildUser, createTestEnv, DATABASES, type TestEnv } from "../helpers.ts";

const CHILD = fileURLToPath(new URL("./crash-after-commit.child.ts", import.meta.url));

/** Sends one API request from another process that dies right after its transaction commits. */
async function postThenCrash(env: TestEnv, url: string, token: string, body: unknown): Promise<void> {
  const { config } = env.deps;
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
    env: {
      PATH: process.env.PATH,
      DATA_DIR: config.dataDir,
      DATABASE_URL: config.databaseUrl ?? "",
      DATABASE_SCHEMA: config.databaseSchema ?? "",
      SEED_DEMO: "false",
      CRASH_REQUEST: JSON.stringify({ url, token, body, now: env.clock.now() }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on("exit", (c, s) => resolve([c, s])),
  );
  assert.equal(signal, "SIGKILL", `the child died right after its commit (exit ${code}): ${output}`);
}

async function pendingDeliveries(env: TestEnv): Promise<string[]> {
  const rows = await env.deps.db
    .selectFrom("jobs")
    .select("name")
    .where("name", "like", "on:%")
    .where("status", "!=", "done")
    .orderBy("name")
    .execute();
  return rows.map((r) => r.name);
}

const searchHits = async (env: TestEnv, slug: string, word: string) =>
  (await env.api.get(`/api/v1/communities/${slug}/search?q=${word}`)).body.results.length;

/**
 * A crash between the commit and the effects loses nothing: the deliveries of the events a
 * transaction emitted are job rows of that transaction, so the worker runs them after the process
 * that should have run them died. A real crash: another process, killed with SIGKILL.
 */
for (const database of DATABASES) {
  describe(`events survive a crash after commit [${database.name}]`, () => {
    let env: TestEnv;
    before(async () => {
      env = await createTestEnv(database, {}, { onDisk: true });
    });
    after(async () => {
      await env?.close();
    });

    test("a topic posted by a process that died before delivering is indexed by the worker", async () => {
      const { slug, members } = await buildCommunity(env, { members: { member: 1 } });
      const [asker] = members.member;
      await postThenCrash(env, `/api/v1/communities/${slug}/topics`, asker.auth.token, {
        kind: "question",
        title: "Which settings does the quetzalbox need?",
        body: "It came without a manual.",
      });
      const { topics } = (await env.api.get(`/api/v1/communities/${slug}/topics`)).body;
      assert.deepEqual(
        topics.map((t: { title: string }) => t.title),
        ["Which settings does the quetzalbox need?"],
        "committed",
      );
      assert.ok((await pendingDeliveries(env)).includes("on:search.index.topic.created"));
      assert.equal(await searchHits(env, slug, "quetzalbox"), 0, "not delivered yet");

      await runDueJobs(env.deps, buildJobRegistry());
      assert.equal(await searchHits(env, slug, "quetzalbox"), 1);
      assert.deepEqual(await pendingDeliveries(env), [], "every delivery ran, none failed");
    });

    test("a reply posted by a process that died before delivering reaches search and the asker's notifications", async () => {
      const { slug, members } = await buildCommunity(env, { members: { member: 1 } });
      const [asker] = members.member;
      const helper = await buildUser(env, { name: "Helper" });
      const topic = await buildTopic(env, slug, asker);
      await runDueJobs(env.deps, buildJobRegistry());
      const notifications = async () => (await env.api.get("/api/v1/notifications", asker.auth)).body.notifications;
      assert.deepEqual(await notifications(), []);

      await postThenCrash(env, `/api/v1/topics/${topic.id}/replies`, helper.auth.token, {
        body: "Update the zanzibarfirmware first.",
      });
      assert.equal((await env.api.get(`/api/v1/topics/${topic.id}`)).body.replies.length, 1, "committed");
      assert.ok((await pendingDeliveries(env)).length >= 2, "the reply's deliveries wait in the queue");
      assert.equal(await searchHits(env, slug, "zanzibarfirmware"), 0);
      assert.deepEqual(await notifications(), []);

      await runDueJobs(env.deps, buildJobRegistry());
      assert.equal(await searchHits(env, slug, "zanzibarfirmware"), 1);
      assert.deepEqual(
        (await notifications()).map((n: { kind: string; actor: { id: number } }) => [n.kind, n.actor?.id]),
        [["reply", helper.id]],
      );
      assert.deepEqual(await pendingDeliveries(env), []);
    });
  });
}
