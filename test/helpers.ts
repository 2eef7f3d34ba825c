import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe } from "node:test";
import type { FastifyInstance } from "fastify";
import { type Kysely, sql } from "kysely";
import { loadConfig, type Config } from "../src/core/config.ts";
import { openDatabase, type DatabaseHandle } from "../src/db/database.ts";
import { buildApp } from "../src/app/app.ts";
import type { Actor, Deps } from "../src/core/deps.ts";
import { fakeClock } from "../src/core/clock.ts";
import { randomToken } from "../src/lib/crypto.ts";
import { createApiToken, createSession } from "../src/accounts/accounts.service.ts";
import { hashPassword } from "../src/lib/crypto.ts";
import { insertWithHandle } from "../src/accounts/accounts.handles.ts";
import type { PostType, Role, Visibility } from "../src/db/schema.ts";

/** The databases every integration suite runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DATABASES = [
  { name: "sqlite" as const },
  ...(process.env.TEST_DATABASE_URL ? [{ name: "postgres" as const, url: process.env.TEST_DATABASE_URL }] : []),
];

export interface TestEnv {
  deps: Deps;
  app: FastifyInstance;
  clock: ReturnType<typeof fakeClock>;
  api: ApiClient;
  close(): Promise<void>;
}

/**
 * A fresh environment on one database. SQLite lives in memory unless `onDisk` is set (for tests
 * where another process opens the same database): then in a temporary directory, removed on close.
 */
export async function createTestEnv(
  database: (typeof DATABASES)[number],
  overrides: Partial<Config> = {},
  { onDisk = false }: { onDisk?: boolean } = {},
): Promise<TestEnv> {
  // Each environment gets its own SQLite memory database or PostgreSQL schema: runs never share data.
  const schema = `cs_test_${process.pid}_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;
  const dataDir = onDisk && database.name === "sqlite" ? fs.mkdtempSync(path.join(os.tmpdir(), "cs-test-")) : undefined;
  const config: Config = {
    ...loadConfig({}),
    ...(dataDir ? { dataDir } : {}),
    seedDemo: false,
    ...(database.name === "postgres" ? { databaseUrl: database.url, databaseSchema: schema } : {}),
    ...overrides,
  };
  const handle: DatabaseHandle = await openDatabase(dataDir ? config : { ...config, sqliteFile: ":memory:" });
  const clock = fakeClock(Date.UTC(2026, 0, 1, 12));
  const deps: Deps = { db: handle.db, dialect: handle.dialect, writes: handle.writes, config, clock };
  const app = await buildApp(deps);
  return {
    deps,
    app,
    clock,
    api: new ApiClient(app),
    close: async () => {
      await app.close();
      if (handle.dialect === "postgres") await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db);
      await handle.close();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs a suite once per database, with a fresh environment for the suite. */
export function describeEachDatabase(
  name: string,
  fn: (env: () => TestEnv) => void,
  overrides: Partial<Config> = {},
): void {
  for (const database of DATABASES) {
    describe(`${name} [${database.name}]`, () => {
      let env: TestEnv;
      before(async () => {
        env = await createTestEnv(database, overrides);
      });
      after(async () => {
        await env?.close();
      });
      fn(() => env);
    });
  }
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

type Auth = { token: string } | { cookie: string } | null;

/** A JSON client over app.inject: no sockets, real routing, validation and database. */
export class ApiClient {
  constructor(private readonly app: FastifyInstance) {}

  async request<T = any>(method: string, url: string, body?: unknown, auth: Auth = null): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (auth && "token" in auth) headers.authorization = `Bearer ${auth.token}`;
    if (auth && "cookie" in auth) headers.cookie = auth.cookie;
    const res = await this.app.inject({
      method: method as any,
      url,
      headers,
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    let parsed: any = res.body;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.statusCode, body: parsed, headers: res.headers };
  }
  get<T = any>(url: string, auth: Auth = null) {
    return this.request<T>("GET", url, undefined, auth);
  }
  post<T = any>(url: string, body: unknown = {}, auth: Auth = null) {
    return this.request<T>("POST", url, body, auth);
  }
  put<T = any>(url: string, body: unknown = {}, auth: Auth = null) {
    return this.request<T>("PUT", url, body, auth);
  }
  patch<T = any>(url: string, body: unknown = {}, auth: Auth = null) {
    return this.request<T>("PATCH", url, body, auth);
  }
  delete<T = any>(url: string, auth: Auth = null) {
    return this.request<T>("DELETE", url, undefined, auth);
  }
}

// One password hash shared by all factory users: scrypt is deliberately slow.
let passwordHash: Promise<string> | undefined;
export const TEST_PASSWORD = "correct-horse-battery";

export interface TestUser {
  id: number;
  name: string;
  /** Unique; what @mentions name (several test users share a name, never a handle). */
  handle: string;
  email: string;
  /** Bearer auth for API calls. */
  auth: { token: string };
  /** Session cookie header value, as a browser would send it. */
  cookie: string;
}

let sequence = 0;

export async function buildUser(
  env: TestEnv,
  props: { name?: string; platformAdmin?: boolean; signupIp?: string } = {},
): Promise<TestUser> {
  sequence += 1;
  const name = props.name ?? `User ${sequence}`;
  const email = `user${sequence}-${randomToken(4).toLowerCase()}@example.test`;
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash = await passwordHash;
  const user = await insertWithHandle(env.deps.db, name, (handle) =>
    env.deps.db
      .insertInto("users")
      .values({
        email,
        name,
        handle,
        passwordHash: hash,
        isPlatformAdmin: props.platformAdmin ? 1 : 0,
        locale: null,
        signupIp: props.signupIp ?? null,
        createdAt: env.clock.now(),
      })
      .returning(["id", "handle"])
      .executeTakeFirstOrThrow(),
  );
  const { token } = await createApiToken(env.deps, user.id, { name: "test", scope: "admin", expiresAt: null });
  const session = await createSession(env.deps, user.id);
  return { id: user.id, name, handle: user.handle, email, auth: { token }, cookie: `cs_session=${session}` };
}

/** A fresh community per test, with its admin and optional members by role. */
export async function buildCommunity(
  env: TestEnv,
  props: { visibility?: Visibility; categories?: string[]; members?: Partial<Record<Role, number>> } = {},
) {
  sequence += 1;
  const slug = `c${sequence}-${randomToken(4)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;
  const admin = await buildUser(env, { name: `Admin ${sequence}` });
  const community = await env.deps.db
    .insertInto("communities")
    .values({
      slug,
      name: `Community ${sequence}`,
      description: "",
      visibility: props.visibility ?? "public",
      locale: "en",
      createdAt: env.clock.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await addMember(env, community.id, admin.id, "admin");
  const categories = [];
  for (const [position, name] of (props.categories ?? ["General"]).entries()) {
    categories.push(
      await env.deps.db
        .insertInto("categories")
        .values({
          communityId: community.id,
          slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
          name,
          description: "",
          position,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  }
  const members: Record<string, TestUser[]> = {};
  for (const [role, count] of Object.entries(props.members ?? {})) {
    members[role] = [];
    for (let i = 0; i < (count ?? 0); i++) {
      const user = await buildUser(env, { name: `${role} ${i + 1}` });
      await addMember(env, community.id, user.id, role as Role);
      members[role].push(user);
    }
  }
  return { community, slug, admin, categories, members };
}

export async function addMember(env: TestEnv, communityId: number, userId: number, role: Role): Promise<void> {
  await env.deps.db
    .insertInto("memberships")
    .values({ communityId, userId, role, createdAt: env.clock.now() })
    .onConflict((oc) => oc.columns(["communityId", "userId"]).doUpdateSet({ role }))
    .execute();
}

/** Posts a topic through the API and returns it. */
export async function buildTopic(env: TestEnv, slug: string, author: TestUser, props: Record<string, unknown> = {}) {
  const res = await env.api.post(
    `/api/v1/communities/${slug}/topics`,
    { kind: "question", title: "How do I reset my router?", body: "It keeps blinking red.", ...props },
    author.auth,
  );
  if (res.status !== 201) throw new Error(`buildTopic failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.topic;
}

export async function buildReply(
  env: TestEnv,
  topicId: number,
  author: TestUser,
  body = "Hold the reset button for ten seconds.",
) {
  const res = await env.api.post(`/api/v1/topics/${topicId}/replies`, { body }, author.auth);
  if (res.status !== 201) throw new Error(`buildReply failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.reply;
}

/**
 * Decides a post's review-queue item as `moderator` would: finds the item of post `postId` (of `type`,
 * when given: a reply and a topic can share an id), takes `action` on it (200) and returns the response body.
 */
export async function actOnQueuedPost(
  env: TestEnv,
  slug: string,
  moderator: TestUser,
  postId: number,
  action: "approve" | "delete",
  { type, reason }: { type?: PostType; reason?: string } = {},
) {
  const queue = await env.api.get(`/api/v1/communities/${slug}/review-queue`, moderator.auth);
  const item = queue.body.items.find(
    (i: { post?: { type: PostType; id: number } }) =>
      i.post?.id === postId && (type === undefined || i.post.type === type),
  );
  assert.ok(item, `post ${postId} waits in the review queue`);
  const decided = await env.api.post(
    `/api/v1/communities/${slug}/review-queue/${item.id}`,
    { action, reason },
    moderator.auth,
  );
  assert.equal(decided.status, 200, JSON.stringify(decided.body));
  return decided.body;
}

/** Approves a held post (first post, spam) as `moderator` would: finds its review-queue item and approves it (200). */
export async function approveHeldPost(env: TestEnv, slug: string, moderator: TestUser, postId: number): Promise<void> {
  await actOnQueuedPost(env, slug, moderator, postId, "approve");
}

/** A test user as the actor a use case takes (signed in with a token). */
export const actorOf = (user: TestUser): Actor => ({
  id: user.id,
  name: user.name,
  email: user.email,
  isPlatformAdmin: false,
  locale: null,
  via: "token",
});

/** The use case's dependencies, with `beforeTransaction` run as it opens its transaction (after its checks). */
export function openingTransactionAfter(deps: Deps, beforeTransaction: () => Promise<unknown>): Deps {
  const db = new Proxy(deps.db, {
    get(target, prop) {
      if (prop === "transaction")
        return () => ({
          execute: async (work: Parameters<ReturnType<typeof target.transaction>["execute"]>[0]) => {
            await beforeTransaction();
            return target.transaction().execute(work);
          },
        });
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { ...deps, db };
}

/** The PostgreSQL backend (session) that runs `db`'s queries: a transaction's, for `blocksAnotherSession`. */
export async function backendPid(db: Kysely<any>): Promise<number> {
  return (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0].pid;
}

/** Whether another PostgreSQL session waits on a lock the session `pid` holds. */
export async function blocksAnotherSession(env: TestEnv, pid: number): Promise<boolean> {
  const { rows } = await sql<{ waiting: boolean }>`select exists (select 1 from pg_stat_activity
    where ${pid}::int = any(pg_blocking_pids(pid))) as waiting`.execute(env.deps.db);
  return rows[0].waiting;
}

/**
 * Polls `check` until it holds, for a state another session reaches (a lock wait, a row written),
 * 800 tries 25 ms apart at most: a test whose awaited state never comes fails instead of hanging.
 */
export async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 800; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/**
 * Makes the database refuse a write, as a lost connection or a full disk would, until the returned
 * function undoes it: a trigger named `name` raising `name` on `event` of `table` (e.g. "insert",
 * "update of accepted_reply_id"), for rows matching `when` (SQL over `new`) if given.
 */
export async function refuseWrites(
  env: TestEnv,
  fault: { name: string; table: string; event: string; when?: string },
): Promise<() => Promise<void>> {
  const db = env.deps.db;
  const { name, table, event } = fault;
  const when = fault.when ? sql.raw(` when (${fault.when})`) : sql.raw("");
  if (env.deps.dialect === "postgres") {
    await sql`create function ${sql.raw(name)}() returns trigger language plpgsql as $$
      begin raise exception '${sql.raw(name)}'; end $$`.execute(db);
    await sql`create trigger ${sql.raw(name)} before ${sql.raw(event)} on ${sql.raw(table)}
      for each row${when} execute function ${sql.raw(name)}()`.execute(db);
    return async () => {
      await sql`drop trigger ${sql.raw(name)} on ${sql.raw(table)}`.execute(db);
      await sql`drop function ${sql.raw(name)}()`.execute(db);
    };
  }
  await sql`create trigger ${sql.raw(name)} before ${sql.raw(event)} on ${sql.raw(table)}${when}
    begin select raise(abort, '${sql.raw(name)}'); end`.execute(db);
  return async () => {
    await sql`drop trigger ${sql.raw(name)}`.execute(db);
  };
}
