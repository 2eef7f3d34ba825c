import { sql } from "kysely";
import type { Db, Dialect } from "../db/database.ts";
import type { KudosKind, VoteTarget } from "../db/schema.ts";
import type { Clock } from "../core/clock.ts";
import { reputationSettings } from "../access/reputation-settings.ts";
import { linkedAccounts } from "./reputation.integrity.ts";
import { DAY_MS } from "../lib/durations.ts";

/**
 * The kudos ledger. Entries are only ever appended: a retracted vote or a withdrawn solution adds
 * a reversal entry pointing at what it cancels (unique, so nothing is reversed twice). The totals
 * on `reputation` move in the same transaction, and correctTotal() can rebuild them from it.
 * Every function here takes the caller's transaction.
 */
export interface LedgerContext {
  db: Db;
  dialect: Dialect;
  clock: Clock;
}

export type KudosReason =
  | "reply.upvoted"
  | "reply.downvoted"
  | "topic.upvoted"
  | "topic.downvoted"
  | "answer.accepted"
  | "official.bonus"
  | "reward.redeemed";

interface Entry {
  communityId: number;
  userId: number;
  actorId: number | null;
  reason: KudosReason;
  amount: number;
  kind: KudosKind;
  fromVotes?: boolean;
  sourceKey: string;
  topicId: number | null;
  reversesId?: number;
}

/** Makes sure the member has a totals row and, on PostgreSQL, locks it until the transaction ends. */
async function lockMember(ctx: LedgerContext, communityId: number, userId: number): Promise<void> {
  await ctx.db
    .insertInto("reputation")
    .values({ communityId, userId, kudos: 0, balance: 0, championSince: null, updatedAt: ctx.clock.now() })
    .onConflict((oc) => oc.columns(["communityId", "userId"]).doNothing())
    .execute();
  if (ctx.dialect === "postgres") {
    await ctx.db
      .selectFrom("reputation")
      .select("userId")
      .where("communityId", "=", communityId)
      .where("userId", "=", userId)
      .forUpdate()
      .execute();
  }
}

/**
 * Locks several members' totals rows in one order (by user id), so two transactions that each write
 * entries for the same two members (two acceptances with swapped answerers) cannot deadlock.
 */
async function lockMembers(ctx: LedgerContext, communityId: number, userIds: number[]): Promise<void> {
  for (const userId of [...new Set(userIds)].sort((a, b) => a - b)) await lockMember(ctx, communityId, userId);
}

async function append(ctx: LedgerContext, entry: Entry): Promise<void> {
  const now = ctx.clock.now();
  await lockMember(ctx, entry.communityId, entry.userId);
  await ctx.db
    .insertInto("kudosEvents")
    .values({
      communityId: entry.communityId,
      userId: entry.userId,
      actorId: entry.actorId,
      reason: entry.reason,
      amount: entry.amount,
      kind: entry.kind,
      fromVotes: entry.fromVotes ? 1 : 0,
      sourceKey: entry.sourceKey,
      topicId: entry.topicId,
      reversesId: entry.reversesId ?? null,
      createdAt: now,
    })
    .execute();
  const earned = entry.kind === "earn" ? entry.amount : 0;
  await ctx.db
    .updateTable("reputation")
    .set((eb) => ({ kudos: eb("kudos", "+", earned), balance: eb("balance", "+", entry.amount), updatedAt: now }))
    .where("communityId", "=", entry.communityId)
    .where("userId", "=", entry.userId)
    .execute();
}

/** Entries with these source keys (or key prefixes ending in ":") not yet reversed. */
function activeEntries(ctx: LedgerContext, keys: string[]) {
  return ctx.db
    .selectFrom("kudosEvents as e")
    .selectAll("e")
    .where((eb) =>
      eb.or(
        keys.map((key) => (key.endsWith(":") ? eb("e.sourceKey", "like", `${key}%`) : eb("e.sourceKey", "=", key))),
      ),
    )
    .where("e.reversesId", "is", null)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom("kudosEvents as r").select("r.id").whereRef("r.reversesId", "=", "e.id"))),
    )
    .execute();
}

/** The ledger keys an accepted answer's kudos are written under: the acceptance, the official bonus. */
const acceptKeys = (replyId: number) => [`accept:reply:${replyId}`, `official:reply:${replyId}`];

type LedgerEntry = Awaited<ReturnType<typeof activeEntries>>[number];

/** Keys read in one query: a long thread's keys in one condition would pass SQLite's expression depth limit. */
const KEYS_PER_QUERY = 300;

/**
 * Cancels whatever these keys still hold, each by a reversal entry; returns how many. Everyone it
 * writes for is locked first, in one order (as recordAccept does).
 */
export async function reverse(ctx: LedgerContext, keys: string[]): Promise<number> {
  const entries: LedgerEntry[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_QUERY)
    entries.push(...(await activeEntries(ctx, keys.slice(i, i + KEYS_PER_QUERY))));
  for (const communityId of new Set(entries.map((e) => e.communityId)))
    await lockMembers(
      ctx,
      communityId,
      entries.filter((e) => e.communityId === communityId).map((e) => e.userId),
    );
  return reverseEntries(ctx, entries);
}

async function reverseEntries(ctx: LedgerContext, entries: LedgerEntry[]): Promise<number> {
  for (const e of entries) {
    await append(ctx, {
      ...e,
      amount: -e.amount,
      fromVotes: e.fromVotes === 1,
      reason: e.reason as KudosReason,
      reversesId: e.id,
    });
  }
  return entries.length;
}

/** What today's vote-earned kudos still allow of `amount` (the cap counts gains and their reversals). */
async function underDailyCap(
  ctx: LedgerContext,
  communityId: number,
  userId: number,
  amount: number,
  cap: number,
): Promise<number> {
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom("kudosEvents")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amount"), sql<number>`0`).as("total"))
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .where("fromVotes", "=", 1)
    .where("createdAt", ">=", now - (now % DAY_MS))
    .executeTakeFirstOrThrow();
  return Math.max(0, Math.min(amount, cap - Number(row.total)));
}

const voteKey = (type: VoteTarget, id: number, voterId: number) => `vote:${type}:${id}:by:${voterId}`;

export interface VoteFact {
  communityId: number;
  topicId: number;
  type: VoteTarget;
  targetId: number;
  voterId: number;
  authorId: number;
  /** 1, -1, or 0 for a withdrawn vote. */
  value: number;
}

/** A vote was set: the voter's earlier entry on this post is reversed and the new one recorded. */
export async function recordVote(ctx: LedgerContext, vote: VoteFact): Promise<void> {
  const key = voteKey(vote.type, vote.targetId, vote.voterId);
  const reason: KudosReason = `${vote.type}.${vote.value > 0 ? "upvoted" : "downvoted"}`;
  const held = await activeEntries(ctx, [key]);
  // The same vote again keeps what it earned: recording it anew would earn past the daily cap.
  if (vote.value !== 0 && held.some((e) => e.reason === reason)) return;
  await reverseEntries(ctx, held);
  if (vote.value === 0) return;
  const settings = await reputationSettings(ctx.db, vote.communityId);
  const configured =
    settings.points[
      vote.type === "reply"
        ? vote.value > 0
          ? "replyUpvoted"
          : "replyDownvoted"
        : vote.value > 0
          ? "topicUpvoted"
          : "topicDownvoted"
    ];
  if (configured === 0) return;
  let amount = configured;
  if (amount > 0) {
    await lockMember(ctx, vote.communityId, vote.authorId);
    amount = await underDailyCap(ctx, vote.communityId, vote.authorId, amount, settings.dailyVoteCap);
    if (amount === 0) return;
  }
  await append(ctx, {
    communityId: vote.communityId,
    userId: vote.authorId,
    actorId: vote.voterId,
    reason,
    amount,
    kind: "earn",
    fromVotes: amount > 0,
    sourceKey: key,
    topicId: vote.topicId,
  });
}

export interface AcceptFact {
  communityId: number;
  topic: { id: number; authorId: number };
  actorId: number;
  previous: { id: number } | null;
  next: { id: number; authorId: number; official: boolean } | null;
  /** A hidden solution restored: restoreAcceptance. */
  reinstated?: boolean;
}

/**
 * Whether the answer's author is the asker or whoever accepted it (staff and moderators may accept
 * their own reply to someone else's question), or an account linked to either: then it earns nothing.
 */
async function acceptedByOwnSide(ctx: LedgerContext, fact: AcceptFact, authorId: number, hours: number) {
  const sides = [fact.topic.authorId, fact.actorId];
  if (sides.includes(authorId)) return true;
  for (const side of new Set(sides)) if (await linkedAccounts(ctx.db, authorId, side, hours)) return true;
  return false;
}

/**
 * A hidden solution restored gets back what hiding it took: under each acceptance key (the
 * acceptance, the official bonus) whose last entry is that reversal, the entry it reversed, as it
 * was earned. Nothing when its kudos are still held (hidden before migration 035) or its acceptance
 * earned nothing (staff accepting their own reply): the moderator restoring it did not accept it, so
 * acceptedByOwnSide cannot be asked again of them.
 */
async function restoreAcceptance(ctx: LedgerContext, communityId: number, replyId: number): Promise<void> {
  for (const sourceKey of acceptKeys(replyId)) {
    const last = await ctx.db
      .selectFrom("kudosEvents")
      .selectAll()
      .where("communityId", "=", communityId)
      .where("sourceKey", "=", sourceKey)
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    if (last?.reversesId == null) continue;
    await append(ctx, {
      ...last,
      amount: -last.amount,
      fromVotes: false,
      reason: last.reason as KudosReason,
      reversesId: undefined,
    });
  }
}

/**
 * The accepted answer changed: the previous one's kudos are reversed (an acceptance that earned
 * nothing has nothing to reverse), the new one's author earns them (and the official bonus), unless
 * acceptedByOwnSide.
 */
export async function recordAccept(ctx: LedgerContext, fact: AcceptFact): Promise<void> {
  if (fact.previous?.id === fact.next?.id) return;
  if (fact.reinstated && fact.next) return restoreAcceptance(ctx, fact.communityId, fact.next.id);
  const next = fact.next;
  const settings = await reputationSettings(ctx.db, fact.communityId);
  const earns = next !== null && !(await acceptedByOwnSide(ctx, fact, next.authorId, settings.linkedAccountHours));
  // Everyone this writes for is locked first, in one order: a reversal for the previous answer's
  // author, then an entry for the next one's, would deadlock with an acceptance the other way round.
  const previousHeld = fact.previous ? await activeEntries(ctx, acceptKeys(fact.previous.id)) : [];
  await lockMembers(ctx, fact.communityId, [...previousHeld.map((e) => e.userId), ...(earns ? [next.authorId] : [])]);
  if (fact.previous) await reverse(ctx, acceptKeys(fact.previous.id));
  if (!earns) return;
  const earn = async (reason: KudosReason, amount: number, sourceKey: string) => {
    // One acceptance per answer: a reply whose topic was merged into another keeps what it earned,
    // and being accepted again there earns nothing more.
    if (amount === 0 || (await activeEntries(ctx, [sourceKey])).length) return;
    await append(ctx, {
      communityId: fact.communityId,
      userId: next.authorId,
      actorId: fact.actorId,
      reason,
      amount,
      kind: "earn",
      sourceKey,
      topicId: fact.topic.id,
    });
  };
  const [acceptKey, officialKey] = acceptKeys(next.id);
  await earn("answer.accepted", settings.points.answerAccepted, acceptKey);
  if (next.official) await earn("official.bonus", settings.points.officialBonus, officialKey);
}

/** The ledger keys a reply's kudos are written under: votes on it, its acceptance. */
const replyKeys = (replyId: number) => [`vote:reply:${replyId}:`, ...acceptKeys(replyId)];

/**
 * A deleted post takes back the kudos it earned (votes on it, its acceptance). A deleted topic takes
 * its replies with it (nobody can read them any more), so theirs too, and a question merged into it
 * its own topic votes. Everyone it writes for is locked first, in one order (as recordAccept does).
 */
export async function reversePost(ctx: LedgerContext, type: VoteTarget, id: number): Promise<void> {
  const keys = type === "reply" ? replyKeys(id) : [`vote:topic:${id}:`];
  if (type === "topic") {
    // Locked, as a vote on each takes its row: one under way finishes first, and what it reversed or
    // wrote is read here after it (not reversed twice, nor left earned).
    let query = ctx.db
      .selectFrom("replies")
      .select(["id", "mergedFromTopicId"])
      .where("topicId", "=", id)
      .orderBy("id");
    if (ctx.dialect === "postgres") query = query.forUpdate();
    const replies = await query.execute();
    for (const r of replies) {
      keys.push(...replyKeys(r.id));
      if (r.mergedFromTopicId !== null) keys.push(`vote:topic:${r.mergedFromTopicId}:`);
    }
  }
  await reverse(ctx, keys);
}

/** Spends kudos from the balance (rank is kept): a reward redemption. */
export async function spend(
  ctx: LedgerContext,
  p: { communityId: number; userId: number; amount: number; sourceKey: string },
): Promise<void> {
  await append(ctx, {
    ...p,
    actorId: p.userId,
    reason: "reward.redeemed",
    amount: -p.amount,
    kind: "spend",
    topicId: null,
  });
}

/** The member's balance, locking their totals row for the rest of the transaction. */
export async function lockedBalance(ctx: LedgerContext, communityId: number, userId: number): Promise<number> {
  await lockMember(ctx, communityId, userId);
  const row = await ctx.db
    .selectFrom("reputation")
    .select("balance")
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(row.balance);
}

/** Ledger sums per member of a community: what the totals must be. */
async function ledgerSums(db: Db, communityId: number, userId?: number) {
  let query = db
    .selectFrom("kudosEvents")
    .select((eb) => [
      "userId",
      eb.fn.sum<number>(eb.case().when("kind", "=", "earn").then(eb.ref("amount")).else(0).end()).as("kudos"),
      eb.fn.sum<number>("amount").as("balance"),
    ])
    .where("communityId", "=", communityId);
  if (userId !== undefined) query = query.where("userId", "=", userId);
  const rows = await query.groupBy("userId").execute();
  return new Map(rows.map((r) => [r.userId, { kudos: Number(r.kudos), balance: Number(r.balance) }]));
}

const NOTHING = { kudos: 0, balance: 0 };

/** The members whose totals disagree with the ledger, as read now (correctTotal checks each again). */
export async function totalsOffLedger(db: Db, communityId: number): Promise<number[]> {
  const sums = await ledgerSums(db, communityId);
  const totals = await db
    .selectFrom("reputation")
    .select(["userId", "kudos", "balance"])
    .where("communityId", "=", communityId)
    .execute();
  return totals
    .filter((t) => {
      const sum = sums.get(t.userId) ?? NOTHING;
      return Number(t.kudos) !== sum.kudos || Number(t.balance) !== sum.balance;
    })
    .map((t) => t.userId);
}

/**
 * Rebuilds one member's totals from the ledger; returns whether they were wrong. The sum is read
 * under the lock every ledger entry takes (lockMember), so an entry landing meanwhile is counted
 * once: before, it waits for this; after, this waits for it. Meant to run in a transaction of its
 * own per member, holding one lock at a time, so it cannot deadlock with an entry for two members.
 */
export async function correctTotal(ctx: LedgerContext, communityId: number, userId: number): Promise<boolean> {
  await lockMember(ctx, communityId, userId);
  const sum = (await ledgerSums(ctx.db, communityId, userId)).get(userId) ?? NOTHING;
  const total = await ctx.db
    .selectFrom("reputation")
    .select(["kudos", "balance"])
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .executeTakeFirstOrThrow();
  if (Number(total.kudos) === sum.kudos && Number(total.balance) === sum.balance) return false;
  await ctx.db
    .updateTable("reputation")
    .set({ ...sum, updatedAt: ctx.clock.now() })
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .execute();
  return true;
}
