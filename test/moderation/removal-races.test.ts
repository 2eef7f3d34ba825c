import { test } from "node:test";
import assert from "node:assert/strict";
import { communityAccess } from "../../src/communities/index.ts";
import { setMemberRole } from "../../src/communities/communities.service.ts";
import { removeMember } from "../../src/moderation/moderation.removal.ts";
import { actorOf, buildCommunity, describeEachDatabase, openingTransactionAfter, type TestEnv } from "../helpers.ts";

/** The member's role and ban in the community, as stored. */
async function standing(env: TestEnv, communityId: number, userId: number) {
  const membership = await env.deps.db
    .selectFrom("memberships")
    .select("role")
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .executeTakeFirst();
  const ban = await env.deps.db
    .selectFrom("communityBans")
    .select("userId")
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .executeTakeFirst();
  return { role: membership?.role ?? null, banned: ban !== undefined };
}

describeEachDatabase("bans and role changes at once", (env) => {
  test("a member promoted to moderator while a moderator bans them is judged by the new role: refused", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const [target] = members.member;
    const modAccess = await communityAccess(env().deps, { slug }, actorOf(members.moderator[0]));
    const promote = () =>
      env().api.put(`/api/v1/communities/${slug}/members/${target.id}`, { role: "moderator" }, admin.auth);
    await assert.rejects(
      removeMember(openingTransactionAfter(env().deps, promote), modAccess, target.id, { ban: true, reason: "Spam" }),
      (error: { status?: number }) => error.status === 403,
    );
    assert.deepEqual(await standing(env(), community.id, target.id), { role: "moderator", banned: false });
  });

  test("a role given while the member is being banned does not bring them back", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const [target] = members.member;
    const adminAccess = await communityAccess(env().deps, { slug }, actorOf(admin));
    const ban = () =>
      env().api.put(
        `/api/v1/communities/${slug}/members/${target.id}/ban`,
        { reason: "Spam" },
        members.moderator[0].auth,
      );
    await assert.rejects(
      setMemberRole(openingTransactionAfter(env().deps, ban), adminAccess, target.id, "member"),
      (error: { status?: number; code?: string }) => error.status === 409,
    );
    assert.deepEqual(await standing(env(), community.id, target.id), { role: null, banned: true });
  });
});
