import type { Actor, Deps } from "../core/deps.ts";
import {
  type TopicViewer,
  type TopicVisibilityFacts,
  topicViewer,
  topicVisibilityFacts,
  topicWithAccess,
  visibleTopicsSql,
  wouldReveal,
} from "../topics/index.ts";
import { mergeFollowers } from "../topics/index.ts";
import { transaction } from "../core/transaction.ts";
import { recordAudit } from "../audit/audit.ts";
import { executeNamed, preparedFirst } from "../db/prepared.ts";
import { fieldRefused, forbidden, validationFailed } from "../core/errors.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import type { Db } from "../db/database.ts";
import { lockRows } from "../db/row-locks.ts";
import { can } from "../access/privileges.ts";

export interface DuplicateTarget {
  id: number;
  title: string;
  url: string;
}

/** How far a chain of duplicates is followed to its original. */
const CHAIN_MAX = 20;

/**
 * The chain of marks from a topic: the topic, what it is marked a duplicate of, and so on to its
 * original (last), stopping before a topic already on the chain.
 */
async function chainFrom(db: Db, topicId: number): Promise<number[]> {
  const chain = [topicId];
  while (chain.length <= CHAIN_MAX) {
    const next = await db
      .selectFrom("topicDuplicates")
      .select("originalId")
      .where("topicId", "=", chain.at(-1)!)
      .executeTakeFirst();
    if (!next || chain.includes(next.originalId)) break;
    chain.push(next.originalId);
  }
  return chain;
}

/**
 * Marks a topic as a duplicate of another topic of the same community (moderators, admins,
 * champions and members with the kudos for it: the "topic.markDuplicate" privilege).
 * A target that is itself a duplicate resolves to its original. In one transaction: the mark,
 * earlier duplicates of this topic re-pointed to the original, the followers of the duplicate
 * added to the original's (they stay on the duplicate too), and the original's count recomputed.
 * From then on the duplicate is left out of similar-question suggestions, so the original must be
 * one everyone who reads the duplicate may read (422 `of` otherwise: not a private-scope or
 * champions-only topic behind a public one).
 */
export async function markDuplicate(deps: Deps, topicId: number, actor: Actor, of: number) {
  const { row, access } = await topicWithAccess(deps, topicId, actor);
  if (!can(access, "topic.markDuplicate"))
    throw forbidden("Marking duplicates takes a moderator, a champion or enough kudos.");
  if (of === topicId) throw validationFailed({ of: "A topic cannot be a duplicate of itself." });
  // The original must be one the marker may read; a topic they may not see, one of another
  // community and one that does not exist get the same answer, so the mark reveals nothing.
  const viewer = topicViewer(access);
  const unknown = () => validationFailed({ of: "Unknown topic in this community." });
  const now = deps.clock.now();
  const followerCount = await transaction(deps, async (tx) => {
    const trx = tx.db;
    // Marks of one community are decided one after another: two marks read in parallel (this topic
    // a duplicate of that one, that one of this) would otherwise each find no chain and make a loop.
    // A lock that still lets rows referencing the community be inserted: a vote holding a topic's
    // lock writes its ledger entry (which references the community) while this mark may wait for
    // that topic, and FOR UPDATE would deadlock the two.
    await lockRows(tx, "communities", [row.communityId], { strength: "no key update" });
    if (!(await readableOriginal(trx, of, row.communityId, viewer))) throw unknown();
    const chain = await chainFrom(trx, of);
    if (chain.includes(topicId)) throw validationFailed({ of: "That topic is already a duplicate of this one." });
    const originalId = chain.at(-1)!;
    const original = await readableOriginal(trx, originalId, row.communityId, viewer);
    if (!original) throw unknown();
    // A duplicate leaves the suggestions and sends its readers to the original: one they may not
    // read (a private-scope or champions-only topic the marker sees) would only bury the topic.
    if (wouldReveal(original, row))
      throw fieldRefused(
        "of",
        "Choose an original that everyone who reads this topic may read.",
        "duplicate.originalHidden",
      );
    await writeMark(trx, { topicId, originalId, markedBy: actor.id, createdAt: now });
    await recordAudit(tx, {
      communityId: row.communityId,
      actorId: actor.id,
      action: "topic.markDuplicate",
      targetType: "topic",
      targetId: topicId,
      details: { originalId },
    });
    // The duplicate's followers follow the original too; concurrent follows recount one after another.
    return mergeFollowers(tx, topicId, originalId);
  });
  const original = (await duplicateOf(deps, topicId, viewer))!;
  return { topicId, duplicateOf: original, original: { ...original, followerCount } };
}

/**
 * Marks `topicId` a duplicate of `originalId`'s root and re-points the marks on `topicId` there,
 * so every mark names an original that is no duplicate itself (suggestions leave out every marked
 * topic: a chain or a loop would hide the original too).
 */
async function writeMark(
  db: Db,
  mark: { topicId: number; originalId: number; markedBy: number | null; createdAt: number },
): Promise<void> {
  const { topicId, originalId, markedBy, createdAt } = mark;
  await db
    .insertInto("topicDuplicates")
    .values(mark)
    .onConflict((oc) => oc.column("topicId").doUpdateSet({ originalId, markedBy, createdAt }))
    .execute();
  await db.updateTable("topicDuplicates").set({ originalId }).where("originalId", "=", topicId).execute();
}

/**
 * A duplicate link brought in by an import (no one marks it, no followers move): marked like
 * `markDuplicate` marks, onto the root of the original's chain. A link that would close a loop
 * (the original is already, through its chain, a duplicate of this topic) is not kept: false.
 * The caller's transaction writes the community's marks one after another (an import runs alone).
 */
export async function importDuplicateMark(
  db: Db,
  link: { topicId: number; originalId: number; createdAt: number },
): Promise<boolean> {
  const chain = await chainFrom(db, link.originalId);
  if (chain.includes(link.topicId)) return false;
  await writeMark(db, { ...link, originalId: chain.at(-1)!, markedBy: null });
  return true;
}

/** Removes the mark (moderators and admins); merged followers stay where they are. */
export async function unmarkDuplicate(deps: Deps, topicId: number, actor: Actor) {
  const { row, access } = await topicWithAccess(deps, topicId, actor);
  if (!can(access, "topic.markDuplicate"))
    throw forbidden("Marking duplicates takes a moderator, a champion or enough kudos.");
  await transaction(deps, async (tx) => {
    const removed = await tx.db
      .deleteFrom("topicDuplicates")
      .where("topicId", "=", topicId)
      .returning("originalId")
      .executeTakeFirst();
    // A topic that is no duplicate (or unmarked at the same moment by someone else) logs nothing.
    if (removed)
      await recordAudit(tx, {
        communityId: row.communityId,
        actorId: actor.id,
        action: "topic.unmarkDuplicate",
        targetType: "topic",
        targetId: topicId,
        details: { originalId: removed.originalId },
      });
  });
  return { topicId, duplicateOf: null };
}

/** The original's visibility facts when the viewer may read it (visible, in this community), else undefined. */
async function readableOriginal(
  db: Db,
  topicId: number,
  communityId: number,
  viewer: TopicViewer,
): Promise<TopicVisibilityFacts | undefined> {
  return topicVisibilityFacts(db)
    .where("topics.id", "=", topicId)
    .where("topics.communityId", "=", communityId)
    .where("topics.moderationState", "=", "visible")
    .where(visibleTopicsSql(viewer))
    .executeTakeFirst();
}

/** A topic's mark and its visible original, whoever asks: one prepared statement. */
const duplicateMark = preparedFirst((db, values: { topicId: number }) =>
  db
    .selectFrom("topicDuplicates")
    .innerJoin("topics", "topics.id", "topicDuplicates.originalId")
    .innerJoin("communities", "communities.id", "topics.communityId")
    .select(["topics.id", "topics.title", "communities.slug"])
    .where("topicDuplicates.topicId", "=", values.topicId)
    .where("topics.moderationState", "=", "visible"),
);

/**
 * The original a topic was marked a duplicate of, if the viewer may read it (topics.visibility.ts),
 * or null. The topic page calls it on every view and shows duplicateBanner(page, original) above
 * the question. Few topics are marked, so the mark is read first by a statement that does not
 * depend on the viewer; only a marked topic's original is then checked against what this viewer
 * may read (a query whose shape depends on the viewer's kind, each shape a named statement on
 * PostgreSQL).
 */
export async function duplicateOf(
  deps: Pick<Deps, "db">,
  topicId: number,
  viewer: TopicViewer,
): Promise<DuplicateTarget | null> {
  const original = await duplicateMark(deps.db, { topicId });
  if (!original) return null;
  const [readable] = await executeNamed(
    deps.db,
    deps.db
      .selectFrom("topics")
      .select("topics.id")
      .where("topics.id", "=", original.id)
      .where(visibleTopicsSql(viewer)),
  );
  return readable ? { id: original.id, title: original.title, url: `/c/${original.slug}/t/${original.id}` } : null;
}

/** The banner on a duplicate's page, linking to the original; nothing when the topic is no duplicate. */
export function duplicateBanner(page: PageContext, original: DuplicateTarget | null): Html {
  if (!original) return html``;
  return html`<aside class="card duplicate-banner" role="note" aria-labelledby="duplicate-title">
<p id="duplicate-title"><strong>${page.t("duplicate.banner.title")}</strong></p>
<p>${page.th("duplicate.banner.text", { link: html`<a href="${original.url}">${original.title}</a>` })}</p>
</aside>`;
}
