import { checkVote } from "./reputation.integrity.js";
import { recordAccept, recordVote } from "./reputation.kudos.js";
/**
 * The vote rules reputation gives topics: refusals (linked accounts, voting rings) and the kudos
 * ledger, inside the vote's own transaction. A voter's votes are serialized (their user row is
 * locked on PostgreSQL; SQLite has one writer), so parallel upvotes cannot slip past the ring limit.
 */
async function lockVoter(tx, voterId) {
    if (tx.dialect === "postgres")
        await tx.db.selectFrom("users").select("id").where("id", "=", voterId).forUpdate().execute();
}
export const reputationVoteRules = {
    check: async (tx, vote) => {
        await lockVoter(tx, vote.voterId);
        return checkVote(tx.db, { ...vote, now: tx.clock.now() });
    },
    record: (tx, vote) => recordVote(tx, vote),
    recordAccept: (tx, change) => recordAccept(tx, change),
};
