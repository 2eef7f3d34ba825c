import { test } from "node:test";
import assert from "node:assert/strict";
import type { Deps } from "../../src/core/deps.ts";
import { communityAccess } from "../../src/communities/index.ts";
import { moveTopic, setLocked } from "../../src/moderation/moderation.topics.ts";
import { liftBan, removeMember } from "../../src/moderation/moderation.removal.ts";
import {
  actorOf,
  backendPid,
  blocksAnotherSession,
  buildCommunity,
  buildTopic,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
  until,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";

/** The audit entries of these actions in the community, oldest first: action, target and details. */
async function logged(env: TestEnv, communityId: number, actions: string[]) {
  const rows = await env.deps.db
    .selectFrom("auditLog")
    .select(["action", "targetId", "details"])
    .where("communityId", "=", communityId)
    .where("action", "in", actions)
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ action: row.action, targetId: row.targetId, details: JSON.parse(row.details) }));
}

/** How many moderation notices a user was sent, once the queued ones are delivered. */
async function noticesTo(env: TestEnv, userId: number): Promise<number> {
  await drainJobs(env);
  const rows = await env.deps.db
    .selectFrom("notifications")
    .select("id")
    .where("userId", "=", userId)
    .where("kind", "=", "moderation")
    .execute();
  return rows.length;
}

/**
 * Deps whose transactions, their work done, stay open until `commit()`: `held` gives the backend of
 * the first one once it holds its locks (PostgreSQL), so another session can be seen waiting on it.
 */
function holdingCommit(deps: Deps) {
  let commit!: () => void;
  const committing = new Promise<void>((resolve) => {
    commit = resolve;
  });
  let holding!: (pid: number) => void;
  const held = new Promise<number>((resolve) => {
    holding = resolve;
  });
  const db = new Proxy(deps.db, {
    get(target, prop) {
      if (prop === "transaction")
        return () => ({
          execute: (work: Parameters<ReturnType<typeof target.transaction>["execute"]>[0]) =>
            target.transaction().execute(async (trx) => {
              const result = await work(trx);
              holding(await backendPid(trx));
              await committing;
              return result;
            }),
        });
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { deps: { ...deps, db }, held, commit };
}

describeEachDatabase("moderation: review fixes, second round", (env) => {
  test("lifting a suspension the member does not have is refused (409): nothing logged, nobody told", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const [target] = members.member;
    const mod = members.moderator[0];
    const suspension = `/api/v1/communities/${slug}/members/${target.id}/suspension`;
    const lift = () => env().api.delete(suspension, mod.auth);
    const refused = await lift();
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, "conflict");
    assert.deepEqual(await logged(env(), community.id, ["member.unsuspend"]), []);
    assert.equal(await noticesTo(env(), target.id), 0);
    assert.equal((await env().api.put(suspension, { days: 2, reason: "Insults" }, mod.auth)).status, 200);
    assert.equal((await lift()).status, 200);
    assert.equal((await lift()).status, 409, "lifted once, there is nothing left to lift");
    const actions = (await logged(env(), community.id, ["member.suspend", "member.unsuspend"])).map((e) => e.action);
    assert.deepEqual(actions, ["member.suspend", "member.unsuspend"]);
    assert.equal(await noticesTo(env(), target.id), 2, "told of the suspension and of its lifting, once each");
  });

  test("a moderator warns members, staff and fellow moderators, not an admin or themselves (403)", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), {
      members: { member: 1, staff: 1, moderator: 2 },
    });
    const [mod, otherMod] = members.moderator;
    const warn = (by: { auth: { token: string } }, userId: number) =>
      env().api.post(`/api/v1/communities/${slug}/members/${userId}/warnings`, { reason: "Mind your tone" }, by.auth);
    for (const target of [admin, mod]) {
      const refused = await warn(mod, target.id);
      assert.equal(refused.status, 403, `${target.name}: ${JSON.stringify(refused.body)}`);
      assert.equal(await noticesTo(env(), target.id), 0);
    }
    assert.deepEqual(await logged(env(), community.id, ["member.warn"]), []);
    const profile = await env().api.get(`/c/${slug}/u/${admin.id}`, { cookie: mod.cookie });
    assert.equal(profile.status, 200);
    assert.doesNotMatch(String(profile.body), new RegExp(`/u/${admin.id}/warn"`), "no warning form on an admin");
    const others = [members.member[0], members.staff[0], otherMod];
    for (const target of others) assert.equal((await warn(mod, target.id)).status, 201, target.name);
    const warned = (await logged(env(), community.id, ["member.warn"])).map((e) => e.targetId);
    assert.deepEqual(
      warned,
      others.map((u) => u.id),
    );
  });

  test("a ban an admin placed on a moderator is an admin's to lift or renew, as it was to place", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 1, moderator: 2 } });
    const [mod, former] = members.moderator;
    const ban = (by: { auth: { token: string } }, userId: number) =>
      env().api.put(`/api/v1/communities/${slug}/members/${userId}/ban`, { reason: "Leaked data" }, by.auth);
    const lift = (by: { auth: { token: string } }, userId: number) =>
      env().api.delete(`/api/v1/communities/${slug}/members/${userId}/ban`, by.auth);
    assert.equal((await ban(admin, former.id)).status, 200);
    const refused = await lift(mod, former.id);
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal((await ban(mod, former.id)).status, 403, "renewing it would record them as a mere member");
    assert.deepEqual(
      (await logged(env(), community.id, ["member.ban", "member.unban"])).map((e) => [e.action, e.details.role]),
      [["member.ban", "moderator"]],
    );
    assert.equal((await lift(admin, former.id)).status, 200);
    // A member's ban stays any moderator's to lift.
    const member = members.member[0];
    assert.equal((await ban(mod, member.id)).status, 200);
    assert.equal((await lift(mod, member.id)).status, 200);
  });

  test("a topic locked by another moderator as this one locks it is locked and logged once", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 2 } });
    const [mod, otherMod] = members.moderator;
    const topic = await buildTopic(env(), slug, members.member[0]);
    const lockedMeanwhile = () => env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, otherMod.auth);
    const deps = openingTransactionAfter(env().deps, lockedMeanwhile);
    assert.deepEqual(await setLocked(deps, actorOf(mod), topic.id, true), { topicId: topic.id, locked: true });
    const actions = (await logged(env(), community.id, ["topic.lock", "topic.unlock"])).map((e) => e.action);
    assert.deepEqual(actions, ["topic.lock"]);
  });

  test("a topic moved as another moderator moves it is moved from where that one put it", async () => {
    const { community, slug, categories, members } = await buildCommunity(env(), {
      categories: ["Internet", "TV", "Phone"],
      members: { member: 1, moderator: 2 },
    });
    const [mod, otherMod] = members.moderator;
    const [internet, tv, phone] = categories.map((c) => c.id);
    const topic = await buildTopic(env(), slug, members.member[0], { categoryId: internet });
    const movedMeanwhile = (categoryId: number) => () =>
      env().api.post(`/api/v1/topics/${topic.id}/move`, { categoryId }, otherMod.auth);
    await moveTopic(openingTransactionAfter(env().deps, movedMeanwhile(tv)), actorOf(mod), topic.id, phone);
    // Already where it was asked to go: nothing more to log.
    await moveTopic(openingTransactionAfter(env().deps, movedMeanwhile(internet)), actorOf(mod), topic.id, internet);
    const moves = (await logged(env(), community.id, ["topic.move"])).map((e) => e.details);
    assert.deepEqual(moves, [
      { from: internet, to: tv },
      { from: tv, to: phone },
      { from: phone, to: internet },
    ]);
  });

  test("PostgreSQL: two moderators locking and moving a topic at once: each waits, logs the topic as it finds it", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { community, slug, categories, members } = await buildCommunity(env(), {
      categories: ["Internet", "TV", "Phone"],
      members: { member: 1, moderator: 2 },
    });
    const [mod, otherMod] = members.moderator;
    const [internet, tv, phone] = categories.map((c) => c.id);
    const topic = await buildTopic(env(), slug, members.member[0], { categoryId: internet });
    const race = async (first: (deps: Deps) => Promise<unknown>, second: () => Promise<unknown>) => {
      const holder = holdingCommit(env().deps);
      const firstDone = first(holder.deps);
      const pid = await holder.held;
      const secondDone = second();
      try {
        await until("the second moderator to wait on the first", () => blocksAnotherSession(env(), pid));
      } finally {
        holder.commit();
        await Promise.all([firstDone, secondDone]);
      }
    };
    await race(
      (deps) => setLocked(deps, actorOf(otherMod), topic.id, true),
      () => setLocked(env().deps, actorOf(mod), topic.id, true),
    );
    await race(
      (deps) => moveTopic(deps, actorOf(otherMod), topic.id, tv),
      () => moveTopic(env().deps, actorOf(mod), topic.id, phone),
    );
    const entries = await logged(env(), community.id, ["topic.lock", "topic.move"]);
    assert.deepEqual(
      entries.map((e) => [e.action, e.details]),
      [
        ["topic.lock", {}],
        ["topic.move", { from: internet, to: tv }],
        ["topic.move", { from: tv, to: phone }],
      ],
    );
  });

  test("PostgreSQL: a ban lifted as an admin places it waits for the placement and is judged by it", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { moderator: 2 } });
    const [mod, former] = members.moderator;
    const adminAccess = await communityAccess(env().deps, { slug }, actorOf(admin));
    const modAccess = await communityAccess(env().deps, { slug }, actorOf(mod));
    const holder = holdingCommit(env().deps);
    const placing = removeMember(holder.deps, adminAccess, former.id, { ban: true, reason: "Leaked data" });
    const pid = await holder.held;
    let settled = false;
    const lifting = liftBan(env().deps, modAccess, former.id).finally(() => {
      settled = true;
    });
    lifting.catch(() => {});
    try {
      await until("the lift to wait or finish", async () => settled || (await blocksAnotherSession(env(), pid)));
      assert.equal(settled, false, "the lift waits for the ban being placed");
    } finally {
      holder.commit();
      await placing;
    }
    await assert.rejects(lifting, (error: { status?: number }) => error.status === 403);
    const bans = await env()
      .deps.db.selectFrom("communityBans")
      .select("userId")
      .where("communityId", "=", community.id)
      .execute();
    assert.deepEqual(bans, [{ userId: former.id }]);
  });
});
