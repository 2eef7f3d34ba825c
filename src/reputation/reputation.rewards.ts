import type { Deps } from "../core/deps.ts";
import type { RedemptionStatus } from "../db/schema.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { recordAudit } from "../audit/audit.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { AppError, conflict, forbidden, notFound } from "../core/errors.ts";
import { lockedBalance, reverse, spend } from "./reputation.kudos.ts";
import type { RewardInput, RewardPatch } from "./reputation.schema.ts";
import { iso } from "../lib/iso-time.ts";

/**
 * Rewards (perks, bill credits) members buy with kudos. Redeeming spends from the balance, never
 * from the kudos that decide rank; staff fulfil or reject, and a rejection refunds. The ledger
 * keeps every step. A repeated request with the same idempotency key (a double click) finds the
 * first redemption instead of making a second: a unique index backs the check.
 */
/** Without a key, a second identical redemption this soon is taken for a double click. */
const DOUBLE_CLICK_MS = 10_000;

/** What the viewer may do with rewards; the API returns it and the rewards page draws its buttons from it. */
export function rewardAbilities(access: CommunityAccess) {
  return {
    redeem: can(access, "reward.redeem"),
    /** Define rewards, activate and deactivate them (and see inactive ones). */
    manage: can(access, "reward.manage"),
    /** See every pending redemption, fulfil or reject it. */
    fulfil: can(access, "reward.fulfil"),
  };
}

export async function listRewards(deps: Deps, baseAccess: CommunityAccess) {
  const access = await baseAccess;
  let query = deps.db
    .selectFrom("rewards")
    .selectAll()
    .where("communityId", "=", access.community.id)
    .orderBy("price")
    .orderBy("id");
  if (!can(access, "reward.manage")) query = query.where("active", "=", 1);
  const rows = await query.execute();
  const managed = can(access, "reward.manage");
  return rows.map((r) => toPublicReward(r, managed));
}

/** The money value is a company figure: only those who manage rewards see it. */
function toPublicReward(
  r: {
    id: number;
    name: string;
    description: string;
    price: number;
    stock: number | null;
    active: number;
    valueCents: number;
  },
  managed = true,
) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    price: Number(r.price),
    stock: r.stock === null ? null : Number(r.stock),
    active: Boolean(r.active),
    ...(managed ? { valueCents: Number(r.valueCents) } : {}),
  };
}

export async function createReward(deps: Deps, baseAccess: CommunityAccess, input: RewardInput) {
  const access = await baseAccess;
  if (!can(access, "reward.manage")) throw forbidden("Only staff can define rewards.");
  return deps.db.transaction().execute(async (trx) => {
    const reward = await trx
      .insertInto("rewards")
      .values({
        communityId: access.community.id,
        name: input.name,
        description: input.description,
        price: input.price,
        valueCents: input.valueCents,
        stock: input.stock ?? null,
        active: 1,
        createdAt: deps.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(
      { db: trx, clock: deps.clock },
      {
        communityId: access.community.id,
        actorId: access.actor!.id,
        action: "reward.create",
        targetType: "reward",
        targetId: reward.id,
        details: { ...input },
      },
    );
    return toPublicReward(reward);
  });
}

export async function updateReward(deps: Deps, baseAccess: CommunityAccess, rewardId: number, patch: RewardPatch) {
  const access = await baseAccess;
  if (!can(access, "reward.manage")) throw forbidden("Only staff can change rewards.");
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("rewards")
      .selectAll()
      .where("id", "=", rewardId)
      .where("communityId", "=", access.community.id)
      .executeTakeFirst();
    if (!before) throw notFound("Reward");
    const { active, ...rest } = patch;
    const reward = await trx
      .updateTable("rewards")
      .set({ ...rest, ...(active === undefined ? {} : { active: active ? 1 : 0 }) })
      .where("id", "=", rewardId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(
      { db: trx, clock: deps.clock },
      {
        communityId: access.community.id,
        actorId: access.actor!.id,
        action: "reward.update",
        targetType: "reward",
        targetId: rewardId,
        details: { before: toPublicReward(before), after: toPublicReward(reward) },
      },
    );
    return toPublicReward(reward);
  });
}

function redemptions(db: Deps["db"]) {
  return db
    .selectFrom("rewardRedemptions")
    .innerJoin("rewards", "rewards.id", "rewardRedemptions.rewardId")
    .innerJoin("users", "users.id", "rewardRedemptions.userId")
    .select([
      "rewardRedemptions.id",
      "rewardRedemptions.rewardId",
      "rewards.name as rewardName",
      "rewardRedemptions.userId",
      "users.name as userName",
      "rewardRedemptions.price",
      "rewardRedemptions.status",
      "rewardRedemptions.note",
      "rewardRedemptions.createdAt",
      "rewardRedemptions.decidedAt",
    ]);
}

type RedemptionRow = Awaited<ReturnType<ReturnType<typeof redemptions>["executeTakeFirstOrThrow"]>>;

function toPublicRedemption(r: RedemptionRow) {
  return {
    id: r.id,
    reward: { id: r.rewardId, name: r.rewardName },
    member: { id: r.userId, name: r.userName },
    price: Number(r.price),
    status: r.status,
    note: r.note,
    createdAt: iso(r.createdAt)!,
    decidedAt: iso(r.decidedAt),
  };
}

export type PublicRedemption = ReturnType<typeof toPublicRedemption>;

async function loadRedemption(db: Deps["db"], id: number): Promise<PublicRedemption> {
  return toPublicRedemption(await redemptions(db).where("rewardRedemptions.id", "=", id).executeTakeFirstOrThrow());
}

/**
 * Redeems a reward: checks the balance, spends it, takes one from stock, all in one transaction
 * with the member's totals locked. Returns the redemption and whether it is a replay of an earlier
 * request with the same key.
 */
export async function redeem(deps: Deps, baseAccess: CommunityAccess, rewardId: number, idempotencyKey: string | null) {
  const access = await baseAccess;
  if (!can(access, "reward.redeem")) throw forbidden("You cannot redeem rewards in this community.");
  const actor = access.actor!;
  const communityId = access.community.id;
  const now = deps.clock.now();
  const attempt = () =>
    deps.db.transaction().execute(async (trx) => {
      const ctx = { db: trx, dialect: deps.dialect, clock: deps.clock };
      const balance = await lockedBalance(ctx, communityId, actor.id);
      let earlier = trx
        .selectFrom("rewardRedemptions")
        .select(["id", "communityId", "rewardId"])
        .where("userId", "=", actor.id);
      earlier = idempotencyKey
        ? earlier.where("idempotencyKey", "=", idempotencyKey)
        : earlier
            .where("rewardId", "=", rewardId)
            .where("idempotencyKey", "is", null)
            .where("createdAt", ">", now - DOUBLE_CLICK_MS);
      const replay = await earlier.executeTakeFirst();
      // A key names one request: used again for another reward (or community), it replays nothing.
      if (replay && (replay.communityId !== communityId || replay.rewardId !== rewardId))
        throw conflict("This idempotency key was already used for another redemption.");
      if (replay) return { id: replay.id, replayed: true };
      const reward = await trx
        .selectFrom("rewards")
        .selectAll()
        .where("id", "=", rewardId)
        .where("communityId", "=", communityId)
        .where("active", "=", 1)
        .executeTakeFirst();
      if (!reward) throw notFound("Reward");
      if (balance < reward.price)
        throw conflict(`This reward costs ${reward.price} kudos; your balance is ${balance}.`);
      if (reward.stock !== null) {
        const taken = await trx
          .updateTable("rewards")
          .set((eb) => ({ stock: eb("stock", "-", 1) }))
          .where("id", "=", rewardId)
          .where("stock", ">", 0)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) === 0) throw conflict("This reward is out of stock.");
      }
      const row = await trx
        .insertInto("rewardRedemptions")
        .values({
          rewardId,
          communityId,
          userId: actor.id,
          price: reward.price,
          status: "pending",
          idempotencyKey,
          note: "",
          createdAt: now,
          decidedAt: null,
          decidedBy: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await spend(ctx, { communityId, userId: actor.id, amount: reward.price, sourceKey: `redemption:${row.id}` });
      return { id: row.id, replayed: false };
    });
  let result: { id: number; replayed: boolean };
  try {
    result = await attempt();
  } catch (error) {
    // Two requests with one key raced past the check: the unique index kept one; answer with it.
    if (!isUniqueViolation(error)) throw error;
    result = await attempt();
  }
  return { redemption: await loadRedemption(deps.db, result.id), replayed: result.replayed };
}

export async function listRedemptions(
  deps: Deps,
  baseAccess: CommunityAccess,
  filter: { mine: boolean; status?: RedemptionStatus },
) {
  const access = await baseAccess;
  const all = !filter.mine && can(access, "reward.fulfil");
  if (!all && !access.actor) return [];
  let query = redemptions(deps.db)
    .where("rewardRedemptions.communityId", "=", access.community.id)
    .orderBy("rewardRedemptions.id", "desc")
    .limit(200);
  if (!all) query = query.where("rewardRedemptions.userId", "=", access.actor!.id);
  if (filter.status) query = query.where("rewardRedemptions.status", "=", filter.status);
  return (await query.execute()).map(toPublicRedemption);
}

/** Staff fulfil a pending redemption or reject it, which refunds the kudos and returns the stock. */
export async function decideRedemption(
  deps: Deps,
  baseAccess: CommunityAccess,
  id: number,
  decision: "fulfil" | "reject",
  note: string,
) {
  const access = await baseAccess;
  if (!can(access, "reward.fulfil")) throw forbidden("Only staff can fulfil or reject redemptions.");
  await deps.db.transaction().execute(async (trx) => {
    const ctx = { db: trx, dialect: deps.dialect, clock: deps.clock };
    const status: RedemptionStatus = decision === "fulfil" ? "fulfilled" : "rejected";
    const updated = await trx
      .updateTable("rewardRedemptions")
      .set({ status, note, decidedAt: deps.clock.now(), decidedBy: access.actor!.id })
      .where("id", "=", id)
      .where("communityId", "=", access.community.id)
      .where("status", "=", "pending")
      .returning(["rewardId", "userId"])
      .executeTakeFirst();
    if (!updated) {
      const exists = await trx
        .selectFrom("rewardRedemptions")
        .select("status")
        .where("id", "=", id)
        .where("communityId", "=", access.community.id)
        .executeTakeFirst();
      if (!exists) throw notFound("Redemption");
      throw new AppError("conflict", `This redemption is already ${exists.status}.`, undefined, {
        key: "rep.redemptionDecided",
      });
    }
    if (decision === "reject") {
      await reverse(ctx, [`redemption:${id}`]);
      await trx
        .updateTable("rewards")
        .set((eb) => ({ stock: eb("stock", "+", 1) }))
        .where("id", "=", updated.rewardId)
        .where("stock", "is not", null)
        .execute();
    }
    await recordAudit(ctx, {
      communityId: access.community.id,
      actorId: access.actor!.id,
      action: `redemption.${decision}`,
      targetType: "redemption",
      targetId: id,
      details: { memberId: updated.userId, note },
    });
  });
  return loadRedemption(deps.db, id);
}
