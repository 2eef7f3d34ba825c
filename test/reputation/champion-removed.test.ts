import { test } from "node:test";
import assert from "node:assert/strict";
import { actorOf, buildCommunity, describeEachDatabase, openingTransactionAfter } from "../helpers.ts";
import { communityAccess } from "../../src/communities/index.ts";
import { setChampion } from "../../src/reputation/reputation.service.ts";

describeEachDatabase("reputation: enrolling a champion", (env) => {
  test("a member removed while staff enrol them is not left a champion", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const [member] = members.member;
    const [staff] = members.staff;
    const access = await communityAccess(env().deps, { slug }, actorOf(staff));
    // The removal lands after the enrolment was asked for, before it is written.
    const removing = openingTransactionAfter(env().deps, async () => {
      const removed = await env().api.delete(`/api/v1/communities/${slug}/members/${member.id}`, admin.auth);
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
    });
    await assert.rejects(setChampion(removing, access, member.id, true), { code: "not_found" });
    const row = await env()
      .deps.db.selectFrom("reputation")
      .select("championSince")
      .where("communityId", "=", community.id)
      .where("userId", "=", member.id)
      .executeTakeFirst();
    assert.equal(row?.championSince ?? null, null, "no champion rights without a membership");
    const standing = (await communityAccess(env().deps, { slug }, actorOf(member))).standing;
    assert.equal(standing.champion, false);
  });
});
