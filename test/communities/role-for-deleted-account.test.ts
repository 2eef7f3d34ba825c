import assert from "node:assert/strict";
import { test } from "node:test";
import { communityAccess } from "../../src/communities/index.ts";
import { setMemberRole } from "../../src/communities/communities.service.ts";
import {
  actorOf,
  buildCommunity,
  buildUser,
  describeEachDatabase,
  openingTransactionAfter,
  TEST_PASSWORD,
} from "../helpers.ts";

describeEachDatabase("a role given while the account is deleted", (env) => {
  test("makes no member of the deleted account", async () => {
    const { community, slug, admin } = await buildCommunity(env(), { visibility: "private" });
    const invited = await buildUser(env());
    const access = await communityAccess(env().deps, { slug }, actorOf(admin));
    // The account goes after setMemberRole found it, before its transaction writes the membership.
    const deleteAccount = async () => {
      const res = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, invited.auth);
      assert.equal(res.status, 204, JSON.stringify(res.body));
    };
    await assert.rejects(
      setMemberRole(openingTransactionAfter(env().deps, deleteAccount), access, invited.id, "moderator"),
      (error: { status?: number }) => error.status === 404,
    );
    const membership = await env()
      .deps.db.selectFrom("memberships")
      .select("role")
      .where("communityId", "=", community.id)
      .where("userId", "=", invited.id)
      .executeTakeFirst();
    assert.equal(membership, undefined, "no membership for a deleted account");
  });
});
