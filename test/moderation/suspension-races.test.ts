import { test } from "node:test";
import assert from "node:assert/strict";
import { communityAccess } from "../../src/communities/index.ts";
import { suspend, unsuspend } from "../../src/moderation/moderation.members.ts";
import { lockRows } from "../../src/db/row-locks.ts";
import {
  actorOf,
  backendPid,
  blocksAnotherSession,
  buildCommunity,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
  until,
} from "../helpers.ts";

/** The member's role and suspension in the community, and the suspension actions logged about them. */
async function standing(env: TestEnv, communityId: number, userId: number) {
  const membership = await env.deps.db
    .selectFrom("memberships")
    .select(["role", "suspendedUntil"])
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .executeTakeFirst();
  const logged = await env.deps.db
    .selectFrom("auditLog")
    .select("action")
    .where("communityId", "=", communityId)
    .where("targetId", "=", userId)
    .where("action", "in", ["member.suspend", "member.unsuspend"])
    .execute();
  return {
    role: membership?.role ?? null,
    suspended: membership?.suspendedUntil != null,
    logged: logged.map((row) => row.action),
  };
}

const REFUSED = (status: number) => (error: { status?: number }) => error.status === status;

// A suspension decides on the member (their role, that they still belong) and then writes: a role
// change, removal or ban committed in between must be what it judges, as removeMember does.
describeEachDatabase("moderation: suspensions and role changes or bans at once", (env) => {
  const setUp = async () => {
    const built = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const [target] = built.members.member;
    const moderator = built.members.moderator[0];
    const modAccess = await communityAccess(env().deps, { slug: built.slug }, actorOf(moderator));
    return { ...built, target, moderator, modAccess };
  };

  test("a member promoted to moderator as a moderator suspends them is judged by the new role: refused", async () => {
    const { community, slug, admin, target, modAccess } = await setUp();
    const promote = () =>
      env().api.put(`/api/v1/communities/${slug}/members/${target.id}`, { role: "moderator" }, admin.auth);
    await assert.rejects(
      suspend(openingTransactionAfter(env().deps, promote), modAccess, target.id, { days: 3, reason: "Insults" }),
      REFUSED(403),
    );
    assert.deepEqual(await standing(env(), community.id, target.id), {
      role: "moderator",
      suspended: false,
      logged: [],
    });
  });

  test("a member removed as they are being suspended is no longer there: 404, nothing logged", async () => {
    const { community, slug, target, moderator, modAccess } = await setUp();
    const remove = () => env().api.delete(`/api/v1/communities/${slug}/members/${target.id}`, moderator.auth);
    await assert.rejects(
      suspend(openingTransactionAfter(env().deps, remove), modAccess, target.id, { days: 3, reason: "Insults" }),
      REFUSED(404),
    );
    assert.deepEqual(await standing(env(), community.id, target.id), { role: null, suspended: false, logged: [] });
  });

  test("a suspension lifted as the member is banned is no longer there to lift: 404, nothing logged", async () => {
    const { community, slug, target, moderator, modAccess } = await setUp();
    await suspend(env().deps, modAccess, target.id, { days: 3, reason: "Insults" });
    const ban = () =>
      env().api.put(`/api/v1/communities/${slug}/members/${target.id}/ban`, { reason: "Spam" }, moderator.auth);
    await assert.rejects(unsuspend(openingTransactionAfter(env().deps, ban), modAccess, target.id), REFUSED(404));
    const after = await standing(env(), community.id, target.id);
    assert.deepEqual(after.logged, ["member.suspend"], "no lift logged after the ban");
  });

  test("PostgreSQL: a suspension waits for a role change in progress, then is judged by the new role", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer: no suspension runs beside it");
    const { community, slug, target, moderator } = await setUp();
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let promoted!: (pid: number) => void;
    const promoting = new Promise<number>((resolve) => {
      promoted = resolve;
    });
    // An admin's promotion as setMemberRole writes it: under the community's row, not yet committed.
    const promotion = env()
      .deps.db.transaction()
      .execute(async (trx) => {
        await lockRows({ db: trx, dialect: "postgres" }, "communities", [community.id]);
        await trx
          .updateTable("memberships")
          .set({ role: "moderator" })
          .where("communityId", "=", community.id)
          .where("userId", "=", target.id)
          .execute();
        promoted(await backendPid(trx));
        await committing;
      });
    const holder = await promoting;
    const suspension = env().api.put(
      `/api/v1/communities/${slug}/members/${target.id}/suspension`,
      { days: 3, reason: "Insults" },
      moderator.auth,
    );
    // Whichever row it waits on (the community's, or the membership's without the lock), it waits.
    await until("the suspension to wait on the promotion", () => blocksAnotherSession(env(), holder));
    commit();
    await promotion;
    const refused = await suspension;
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.deepEqual(await standing(env(), community.id, target.id), {
      role: "moderator",
      suspended: false,
      logged: [],
    });
  });
});
