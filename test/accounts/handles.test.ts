import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import {
  addMember,
  buildCommunity,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { browse, getPage } from "../web/web-helpers.ts";
import { uniqueEmail } from "./support.ts";
import { insertWithHandle } from "../../src/accounts/accounts.handles.ts";
import * as m019 from "../../src/db/migrations/019_handles.ts";
import { isHandle } from "../../src/lib/handles.ts";
import { importStackExchange } from "../../src/transfer/index.ts";
import { FIXTURE_DUMP } from "../transfer/support.ts";

const mentionsOf = async (env: TestEnv, user: TestUser) =>
  (await env.api.get("/api/v1/notifications", user.auth)).body.notifications.filter(
    (n: { kind: string }) => n.kind === "mention",
  ).length;

const handleOf = async (env: TestEnv, id: number) =>
  (await env.deps.db.selectFrom("users").select("handle").where("id", "=", id).executeTakeFirstOrThrow()).handle;

const signupAs = (env: TestEnv, name: string) =>
  env.api.post("/api/v1/auth/signup", { email: uniqueEmail(), password: "s3cret-enough", name });

describeEachDatabase("handles", (env) => {
  test("signup derives a unique handle from the name; the API's user and author objects carry it", async () => {
    const first = await signupAs(env(), "Alice Martin");
    const second = await signupAs(env(), "alice  martin");
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.equal(first.body.user.handle, "alicemartin");
    assert.equal(second.body.user.handle, "alicemartin2");

    const member = await buildUser(env(), { name: "Zoë Author" });
    assert.equal(member.handle, "zoeauthor");
    assert.equal((await env().api.get("/api/v1/me", member.auth)).body.user.handle, "zoeauthor");
    const { slug, community } = await buildCommunity(env());
    await addMember(env(), community.id, member.id, "member");
    const topic = await buildTopic(env(), slug, member);
    assert.equal(topic.author.handle, "zoeauthor");
    assert.equal(topic.author.name, "Zoë Author", "existing fields stay");
    const page = await getPage(env(), `/c/${slug}/u/${member.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /@zoeauthor/, "the profile page shows the handle");
  });

  test("a second account with the same display name neither receives nor blocks mentions of the first", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [asker] = members.member;
    const grace = await buildUser(env(), { name: "Grace Hopper" });
    const impostor = await buildUser(env(), { name: "Grace Hopper" });
    assert.notEqual(impostor.handle, grace.handle);
    for (const u of [grace, impostor]) await addMember(env(), community.id, u.id, "member");

    await buildTopic(env(), slug, asker, { body: `Maybe @${grace.handle} knows?` });
    await drainJobs(env());
    assert.equal(await mentionsOf(env(), grace), 1, "the named member is told, although two share the name");
    assert.equal(await mentionsOf(env(), impostor), 0);

    // The display name typed as a mention names the first account's handle, in any case.
    await buildTopic(env(), slug, asker, { body: "@GraceHopper, once more." });
    await drainJobs(env());
    assert.equal(await mentionsOf(env(), grace), 2);
    assert.equal(await mentionsOf(env(), impostor), 0);

    await buildTopic(env(), slug, asker, { body: `And @${impostor.handle}.` });
    await drainJobs(env());
    assert.equal(await mentionsOf(env(), impostor), 1, "each handle names exactly one account");
    assert.equal(await mentionsOf(env(), grace), 2);
  });

  test("a handle of someone outside the community notifies nobody", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const outsider = await buildUser(env(), { name: "Outside Olga" });
    await buildTopic(env(), slug, members.member[0], { body: `Hi @${outsider.handle}` });
    await drainJobs(env());
    assert.equal(await mentionsOf(env(), outsider), 0);
  });

  test("concurrent signups with the same name all succeed with distinct handles", async () => {
    const responses = await Promise.all(Array.from({ length: 6 }, () => signupAs(env(), "Carol Concurrent")));
    for (const res of responses) assert.equal(res.status, 201, JSON.stringify(res.body));
    const handles = responses.map((r) => r.body.user.handle).sort();
    assert.deepEqual(handles, [
      "carolconcurrent",
      "carolconcurrent2",
      "carolconcurrent3",
      "carolconcurrent4",
      "carolconcurrent5",
      "carolconcurrent6",
    ]);
  });

  test("an insert that loses the race for a handle takes the next, also inside a transaction", async () => {
    const { db } = env().deps;
    const row = (name: string, handle: string) => ({
      email: uniqueEmail(),
      name,
      handle,
      passwordHash: "",
      isPlatformAdmin: 0,
      locale: null,
      signupIp: null,
      createdAt: env().clock.now(),
    });
    let rival = 0;
    const won = await insertWithHandle(db, "Rita Race", async (handle) => {
      // Another signup takes the handle between the choice and the insert.
      if (rival === 0)
        rival = (
          await db.insertInto("users").values(row("Rita Race", handle)).returning("id").executeTakeFirstOrThrow()
        ).id;
      return db.insertInto("users").values(row("Rita Race", handle)).returning("handle").executeTakeFirstOrThrow();
    });
    assert.equal(await handleOf(env(), rival), "ritarace");
    assert.equal(won.handle, "ritarace2");

    // In a transaction the lost attempt rolls back to a savepoint: the transaction goes on.
    let attempts = 0;
    const inTx = await db.transaction().execute(async (tx) => {
      const made = await insertWithHandle(tx, "Tom Tx", async (handle) => {
        attempts += 1;
        if (attempts === 1) await tx.insertInto("users").values(row("Tom Tx", handle)).execute();
        return tx.insertInto("users").values(row("Tom Tx", handle)).returning("handle").executeTakeFirstOrThrow();
      });
      await tx.selectFrom("users").select("id").limit(1).execute();
      return made;
    });
    assert.equal(attempts, 2);
    assert.equal(inTx.handle, "tomtx", "the rival row rolled back with its savepoint");
    assert.equal(
      await db
        .selectFrom("users")
        .select("id")
        .where("handle", "=", "tomtx")
        .execute()
        .then((r) => r.length),
      1,
    );
  });

  test("Stack Exchange members get handles from their names, next to the members already here", async () => {
    const { slug, community } = await buildCommunity(env());
    const local = await buildUser(env(), { name: "Alice Router" });
    await importStackExchange(env().deps, { dir: FIXTURE_DUMP, slug });
    const members = await env()
      .deps.db.selectFrom("users")
      .innerJoin("memberships", "memberships.userId", "users.id")
      .select(["users.name", "users.handle"])
      .where("memberships.communityId", "=", community.id)
      .execute();
    const handleByName = new Map(members.map((m) => [m.name, m.handle]));
    assert.equal(local.handle, "alicerouter");
    assert.equal(handleByName.get("Alice Router"), "alicerouter2", "the imported namesake gets the next handle");
    assert.equal(handleByName.get("Bob & Co"), "bobco");
    assert.ok(members.length >= 5, "authors known only from posts are members too");
    for (const m of members) assert.ok(isHandle(m.handle), `${m.name}: ${m.handle}`);
    assert.equal(new Set(members.map((m) => m.handle)).size, members.length);
  });

  test("a new display name keeps the handle; mentions still reach the renamed member", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 1 } });
    const dana = await buildUser(env(), { name: "Dana Rename" });
    await addMember(env(), community.id, dana.id, "member");
    const renamed = await env().api.patch("/api/v1/me", { name: "Somebody Else" }, dana.auth);
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.user.name, "Somebody Else");
    assert.equal(renamed.body.user.handle, "danarename");
    // Someone taking the old name gets a handle of their own; the old one stays with Dana.
    const newcomer = await buildUser(env(), { name: "Dana Rename" });
    await addMember(env(), community.id, newcomer.id, "member");
    assert.equal(newcomer.handle, "danarename2");
    await buildTopic(env(), slug, members.member[0], { body: "Over to you, @danarename." });
    await drainJobs(env());
    assert.equal(await mentionsOf(env(), dana), 1);
    assert.equal(await mentionsOf(env(), newcomer), 0);
  });

  test("a member changes their handle: validated (422), unique (409), stored lowercase", async () => {
    const erin = await buildUser(env(), { name: "Erin Change" });
    const other = await buildUser(env(), { name: "Frank Taken" });
    const changed = await env().api.patch("/api/v1/me", { handle: "Erin.C_1" }, erin.auth);
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.user.handle, "erin.c_1");
    for (const bad of ["e", "-erin", "erin.", "has space", "zoë", "x".repeat(31)]) {
      const res = await env().api.patch("/api/v1/me", { handle: bad }, erin.auth);
      assert.equal(res.status, 422, bad);
      assert.ok(res.body.error.fields.handle, bad);
    }
    const taken = await env().api.patch("/api/v1/me", { handle: other.handle.toUpperCase() }, erin.auth);
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, "conflict");
    assert.ok(taken.body.error.fields.handle);
    assert.equal(await handleOf(env(), erin.id), "erin.c_1");
    assert.equal(await handleOf(env(), other.id), other.handle, "a handle never moves to another account");
    // The same handle again is no change, not a conflict with oneself.
    assert.equal((await env().api.patch("/api/v1/me", { handle: "erin.c_1" }, erin.auth)).status, 200);
  });

  test("the account page's form changes the handle and explains a taken one", async () => {
    const gina = await buildUser(env(), { name: "Gina Form" });
    const other = await buildUser(env(), { name: "Hank Form" });
    const browser = await browse(env(), gina, "/me/account");
    const page = await browser.get("/me/account");
    assert.match(page.body, /name="handle"[^>]*value="ginaform"|value="ginaform"[^>]*name="handle"/);
    const refused = await browser.submit("/me/account/profile", { name: "Gina Form", handle: other.handle });
    assert.equal(refused.status, 409);
    assert.match(refused.body, /Another account has this handle/);
    const saved = await browser.submit("/me/account/profile", { name: "Gina Form", handle: "gina-f" });
    assert.equal(saved.status, 303);
    assert.equal(await handleOf(env(), gina.id), "gina-f");
  });
});

describeEachDatabase("handles: the migration's backfill", (env) => {
  test("existing members get handles from their names in the order they joined, unique and lowercase", async () => {
    const { db } = env().deps;
    await m019.down(db as never);
    const names = ["Alice Martin", "alice martin", "Zoë Müller", "李", "X", "Alice Martin 2", "j.doe"];
    const ids: number[] = [];
    for (const name of names) {
      const row = await sql<{
        id: number;
      }>`insert into users (email, name, password_hash, is_platform_admin, created_at)
        values (${uniqueEmail()}, ${name}, '', 0, 0) returning id`.execute(db);
      ids.push(Number(row.rows[0].id));
    }
    await m019.up(db as never);
    const handles = await Promise.all(ids.map((id) => handleOf(env(), id)));
    assert.deepEqual(handles, [
      "alicemartin",
      "alicemartin2",
      "zoemuller",
      "member",
      "member2",
      "alicemartin22",
      "j.doe",
    ]);
    // The unique index holds, and every account needs a handle (NOT NULL; triggers on SQLite).
    await assert.rejects(
      sql`update users set handle = 'alicemartin' where id = ${ids[1]}`.execute(db),
      /unique|UNIQUE/,
    );
    await assert.rejects(sql`update users set handle = null where id = ${ids[0]}`.execute(db), /null/i);
    await assert.rejects(
      sql`insert into users (email, name, password_hash, is_platform_admin, created_at)
        values (${uniqueEmail()}, 'No Handle', '', 0, 0)`.execute(db),
      /null/i,
    );
    // Members made after the migration get the next free handle.
    const later = await buildUser(env(), { name: "Alice Martin" });
    assert.equal(later.handle, "alicemartin3");
    assert.equal((await env().api.get("/api/v1/me", later.auth)).body.user.handle, "alicemartin3");
  });
});
