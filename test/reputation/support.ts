import assert from "node:assert/strict";
import { sql } from "kysely";
import { addMember, buildUser, type TestEnv, type TestUser } from "../helpers.ts";

/** A member's totals in a community (0 when they have none). */
export async function totals(
  env: TestEnv,
  communityId: number,
  userId: number,
): Promise<{ kudos: number; balance: number }> {
  const row = await env.deps.db
    .selectFrom("reputation")
    .select(["kudos", "balance"])
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .executeTakeFirst();
  return { kudos: Number(row?.kudos ?? 0), balance: Number(row?.balance ?? 0) };
}

/** Every member's totals equal the sums of their ledger entries (the ledger invariant); plain SQL, independent of the code under test. */
export async function assertTotalsMatchLedger(env: TestEnv, communityId: number): Promise<void> {
  const sums = await sql<{ userId: number; kudos: number; balance: number }>`select user_id,
      coalesce(sum(case when kind = 'earn' then amount else 0 end), 0) as kudos, coalesce(sum(amount), 0) as balance
    from kudos_events where community_id = ${communityId} group by user_id`.execute(env.deps.db);
  const bySum = new Map(
    sums.rows.map((r) => [Number(r.userId), { kudos: Number(r.kudos), balance: Number(r.balance) }]),
  );
  const rows = await env.deps.db
    .selectFrom("reputation")
    .select(["userId", "kudos", "balance"])
    .where("communityId", "=", communityId)
    .execute();
  for (const r of rows)
    assert.deepEqual(
      { kudos: Number(r.kudos), balance: Number(r.balance) },
      bySum.get(r.userId) ?? { kudos: 0, balance: 0 },
      `member ${r.userId}`,
    );
  for (const userId of bySum.keys())
    assert.ok(
      rows.some((r) => r.userId === userId),
      `member ${userId} has ledger entries but no totals`,
    );
}

/**
 * Gives a member kudos directly (a test shortcut to reach privilege levels without dozens of
 * votes): it writes the totals only, so suites using it do not check the ledger invariant.
 */
export async function setKudos(env: TestEnv, communityId: number, userId: number, kudos: number): Promise<void> {
  await env.deps.db
    .insertInto("reputation")
    .values({ communityId, userId, kudos, balance: kudos, championSince: null, updatedAt: env.clock.now() })
    .onConflict((oc) => oc.columns(["communityId", "userId"]).doUpdateSet({ kudos, balance: kudos }))
    .execute();
}

/** A new member of the community with these kudos (setKudos). */
export async function memberWithKudos(env: TestEnv, communityId: number, kudos: number): Promise<TestUser> {
  const user = await buildUser(env);
  await addMember(env, communityId, user.id, "member");
  await setKudos(env, communityId, user.id, kudos);
  return user;
}

export async function patchSettings(
  env: TestEnv,
  slug: string,
  admin: TestUser,
  section: "reputation" | "moderation",
  patch: unknown,
): Promise<void> {
  const res = await env.api.patch(`/api/v1/communities/${slug}/settings/${section}`, patch, admin.auth);
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

export const DAY = 86_400_000;
