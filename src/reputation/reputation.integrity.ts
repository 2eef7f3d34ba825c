import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import type { VoteTarget } from "../db/schema.ts";
import type { VoteRefusal } from "../topics/index.ts";
import { clientNetwork } from "../lib/rate-limit.ts";
import { reputationSettings, type ReputationSettings } from "../access/reputation-settings.ts";
import { DAY_MS, HOUR_MS } from "../lib/durations.ts";

/**
 * Votes that must not count: between linked accounts (a second account registered from the same
 * IP address around the same time, the usual way to vote for oneself) and from voting rings (one
 * member upvoting the same other member again and again).
 */

/**
 * Two different accounts registered from the same client within `hours` of each other: the same
 * IPv4 address (also written IPv4-mapped), or the same IPv6 /64, as the per-IP limits count clients.
 */
export async function linkedAccounts(db: Db, a: number, b: number, hours: number): Promise<boolean> {
  if (a === b) return false;
  const users = await db.selectFrom("users").select(["signupIp", "createdAt"]).where("id", "in", [a, b]).execute();
  if (users.length !== 2) return false;
  const [x, y] = users;
  return (
    x.signupIp !== null &&
    y.signupIp !== null &&
    clientNetwork(x.signupIp) === clientNetwork(y.signupIp) &&
    Math.abs(Number(x.createdAt) - Number(y.createdAt)) <= hours * HOUR_MS
  );
}

/** Upvotes the voter gave the author's topics and replies since `since` (whatever the community). */
async function upvotesGiven(db: Db, voterId: number, authorId: number, since: number): Promise<number> {
  const row = await sql<{ n: number }>`select
      (select count(*) from votes v join topics t on t.id = v.target_id
        where v.target_type = 'topic' and v.user_id = ${voterId} and t.author_id = ${
          authorId
        } and v.value = 1 and v.created_at >= ${since})
    + (select count(*) from votes v join replies r on r.id = v.target_id
        where v.target_type = 'reply' and v.user_id = ${voterId} and r.author_id = ${
          authorId
        } and v.value = 1 and v.created_at >= ${since}) as n`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

export interface VoteIntent {
  communityId: number;
  type: VoteTarget;
  targetId: number;
  voterId: number;
  authorId: number;
  value: number;
  now: number;
}

interface VoteFacts {
  linked: boolean;
  /** Upvotes already given to this author within the ring window, this post not counted. */
  recentUpvotes: number;
  /** The voter's current vote on this post. */
  previous: number;
}

/**
 * Why a vote is refused, in words for the voter (and as a message key, for pages in their
 * language); null when it may count. Pure: facts in, decision out.
 */
function voteRefusal(
  intent: Pick<VoteIntent, "value">,
  facts: VoteFacts,
  settings: Pick<ReputationSettings, "votingRing">,
): VoteRefusal | null {
  if (intent.value === 0) return null;
  if (facts.linked)
    return {
      message:
        "You cannot vote on posts of an account linked to yours " +
        "(registered from the same network at about the same time).",
      explanation: { key: "rep.voteRefused.linked" },
    };
  const { maxUpvotesPerAuthor, windowDays } = settings.votingRing;
  if (intent.value === 1 && facts.previous !== 1 && facts.recentUpvotes >= maxUpvotesPerAuthor) {
    return {
      message: `You have already upvoted this member's posts ${facts.recentUpvotes} times in the last ${
        windowDays
      } days; further upvotes for the same member are refused to keep voting rings out.`,
      explanation: { key: "rep.voteRefused.ring", params: { count: facts.recentUpvotes, days: windowDays } },
    };
  }
  return null;
}

/** Gathers the facts for voteRefusal and applies it. */
export async function checkVote(db: Db, intent: VoteIntent): Promise<VoteRefusal | null> {
  if (intent.value === 0) return null;
  const settings = await reputationSettings(db, intent.communityId);
  const current = await db
    .selectFrom("votes")
    .select("value")
    .where("userId", "=", intent.voterId)
    .where("targetType", "=", intent.type)
    .where("targetId", "=", intent.targetId)
    .executeTakeFirst();
  const previous = current?.value ?? 0;
  const since = intent.now - settings.votingRing.windowDays * DAY_MS;
  const [linked, given] = await Promise.all([
    linkedAccounts(db, intent.voterId, intent.authorId, settings.linkedAccountHours),
    upvotesGiven(db, intent.voterId, intent.authorId, since),
  ]);
  return voteRefusal(intent, { linked, recentUpvotes: given - (previous === 1 ? 1 : 0), previous }, settings);
}
