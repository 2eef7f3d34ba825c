import type { Tx } from "../core/transaction.ts";
import type { VoteRules } from "../topics/index.ts";
import { checkVote } from "./reputation.integrity.ts";
import { recordAccept, recordVote } from "./reputation.kudos.ts";
import { lockRows } from "../db/row-locks.ts";

/**
 * The vote rules reputation gives topics: refusals (linked accounts, voting rings) and the kudos
 * ledger, inside the vote's own transaction. A voter's votes are serialized (their user row is
 * locked on PostgreSQL; SQLite has one writer), so parallel upvotes cannot slip past the ring limit.
 */
async function lockVoter(tx: Tx, voterId: number): Promise<void> {
  await lockRows(tx, "users", [voterId]);
}

export const reputationVoteRules: VoteRules = {
  check: async (tx, vote) => {
    await lockVoter(tx, vote.voterId);
    return checkVote(tx.db, { ...vote, now: tx.clock.now() });
  },
  record: (tx, vote) => recordVote(tx, vote),
  recordAccept: (tx, change) => recordAccept(tx, change),
};
