import { topicWithAccess } from "../topics/index.js";
import { mergeFollowers } from "../topics/index.js";
import { transaction } from "../core/transaction.js";
import { forbidden, validationFailed } from "../core/errors.js";
import { html } from "../web/html.js";
import { can } from "../access/privileges.js";
/** How far a chain of duplicates is followed to its original. */
const CHAIN_MAX = 20;
/** The original a topic ultimately duplicates (following marks on the target), or the target itself. */
async function rootOf(db, topicId) {
    let current = topicId;
    for (let i = 0; i < CHAIN_MAX; i++) {
        const next = await db
            .selectFrom("topicDuplicates")
            .select("originalId")
            .where("topicId", "=", current)
            .executeTakeFirst();
        if (!next)
            return current;
        current = next.originalId;
    }
    return current;
}
/**
 * Marks a topic as a duplicate of another topic of the same community (moderators, admins,
 * champions and members with the kudos for it: the "topic.markDuplicate" privilege).
 * A target that is itself a duplicate resolves to its original. In one transaction: the mark,
 * earlier duplicates of this topic re-pointed to the original, the followers of the duplicate
 * added to the original's (they stay on the duplicate too), and the original's count recomputed.
 * From then on the duplicate is left out of similar-question suggestions.
 */
export async function markDuplicate(deps, topicId, actor, of) {
    const { row, access } = await topicWithAccess(deps, topicId, actor);
    if (!can(access, "topic.markDuplicate"))
        throw forbidden("Marking duplicates takes a moderator, a champion or enough kudos.");
    if (of === topicId)
        throw validationFailed({ of: "A topic cannot be a duplicate of itself." });
    const target = await deps.db
        .selectFrom("topics")
        .select(["id", "communityId"])
        .where("id", "=", of)
        .executeTakeFirst();
    if (!target)
        throw validationFailed({ of: "Unknown topic." });
    if (target.communityId !== row.communityId)
        throw validationFailed({ of: "The original must be a topic of the same community." });
    const originalId = await rootOf(deps.db, of);
    if (originalId === topicId)
        throw validationFailed({ of: "That topic is already a duplicate of this one." });
    const now = deps.clock.now();
    const followerCount = await transaction(deps, async (tx) => {
        const trx = tx.db;
        await trx
            .insertInto("topicDuplicates")
            .values({ topicId, originalId, markedBy: actor.id, createdAt: now })
            .onConflict((oc) => oc.column("topicId").doUpdateSet({ originalId, markedBy: actor.id, createdAt: now }))
            .execute();
        await trx.updateTable("topicDuplicates").set({ originalId }).where("originalId", "=", topicId).execute();
        // The duplicate's followers follow the original too; concurrent follows recount one after another.
        return mergeFollowers(tx, topicId, originalId);
    });
    const original = (await duplicateOf(deps, topicId));
    return { topicId, duplicateOf: original, original: { ...original, followerCount } };
}
/** Removes the mark (moderators and admins); merged followers stay where they are. */
export async function unmarkDuplicate(deps, topicId, actor) {
    const { access } = await topicWithAccess(deps, topicId, actor);
    if (!can(access, "topic.markDuplicate"))
        throw forbidden("Marking duplicates takes a moderator, a champion or enough kudos.");
    await deps.db.deleteFrom("topicDuplicates").where("topicId", "=", topicId).execute();
    return { topicId, duplicateOf: null };
}
/**
 * The original a topic was marked a duplicate of, or null: one query. The topic page calls it and
 * shows duplicateBanner(page, original) above the question.
 */
export async function duplicateOf(deps, topicId) {
    const row = await deps.db
        .selectFrom("topicDuplicates")
        .innerJoin("topics", "topics.id", "topicDuplicates.originalId")
        .innerJoin("communities", "communities.id", "topics.communityId")
        .select(["topics.id", "topics.title", "communities.slug"])
        .where("topicDuplicates.topicId", "=", topicId)
        .executeTakeFirst();
    return row ? { id: row.id, title: row.title, url: `/c/${row.slug}/t/${row.id}` } : null;
}
/** The banner on a duplicate's page, linking to the original; nothing when the topic is no duplicate. */
export function duplicateBanner(page, original) {
    if (!original)
        return html ``;
    return html `<aside class="card duplicate-banner" role="note" aria-labelledby="duplicate-title">
<p id="duplicate-title"><strong>${page.t("duplicate.banner.title")}</strong></p>
<p>${page.th("duplicate.banner.text", { link: html `<a href="${original.url}">${original.title}</a>` })}</p>
</aside>`;
}
