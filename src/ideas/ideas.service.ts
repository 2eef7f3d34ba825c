import type { Actor, Deps } from "../core/deps.ts";
import type { IdeaStatus } from "../db/schema.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can, requirePrivilege } from "../access/privileges.ts";
import { validationFailed } from "../core/errors.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { emit } from "../jobs/events.ts";
import {
  canSeeCategory,
  lockTopicAsItIs,
  topicViewer,
  topicWithAccess,
  topicsByIds,
  toPublicTopic,
} from "../topics/index.ts";
import * as q from "./ideas.queries.ts";
import { IDEA_STATUSES, type IdeaStatusInput, type IdeasQuery } from "./ideas.schema.ts";
import "./ideas.events.ts";
import { iso } from "../lib/iso-time.ts";
import { DAY_MS } from "../lib/durations.ts";

/**
 * Locks an idea's row (PostgreSQL; SQLite has one writer), so the same change sent twice at once is
 * recorded once, and refuses (409) an idea merged or deleted since it was read: a status written
 * there would be seen by nobody (its timeline is gone, the merge target's does not show it).
 */
async function lockIdea(tx: Tx, topicId: number): Promise<void> {
  await lockTopicAsItIs(tx, topicId, { gone: { key: "idea.topicGone" } });
}

/**
 * Staff move an idea through the pipeline with an optional public note. The change is dated on
 * the idea's timeline, and everyone who cares (voters, followers, "me too", the author) hears of
 * it through the `idea.statusChanged` event.
 */
export async function setIdeaStatus(deps: Deps, topicId: number, actor: Actor, input: IdeaStatusInput) {
  const { row, access } = await topicWithAccess(deps, topicId, actor);
  // A suspended staff member is told until when and why, as elsewhere.
  requirePrivilege(access, "idea.setStatus", "Only staff can set the status of an idea.");
  if (row.kind !== "idea") throw validationFailed({ status: `Only ideas have a status; this is a ${row.kind}.` });
  await transaction(deps, async (tx) => {
    await lockIdea(tx, topicId);
    // The same status again says nothing new: no timeline entry, nobody notified. With a note it is
    // an update on the way (still planned, a date now known), shown and sent as one; unless it is
    // the latest note again (a form sent twice, a retry), which would tell everyone the same twice.
    if (
      (await q.currentStatus(tx.db, topicId)) === input.status &&
      (!input.note || (await q.latestChange(tx.db, topicId))?.note === input.note)
    )
      return;
    const changeId = await q.recordChange(tx, {
      topicId,
      communityId: row.communityId,
      status: input.status,
      note: input.note ?? null,
      staffId: actor.id,
    });
    await emit(tx, "idea.statusChanged", { topicId, communityId: row.communityId, changeId });
  });
  return { topic: { ...toPublicTopic(row, access.community, access), ideaStatus: input.status } };
}

export interface TimelineEntry {
  id: number;
  status: IdeaStatus;
  note: string | null;
  staff: { id: number; name: string };
  createdAt: string;
}

/** An idea's status and its dated timeline (anyone who may see the idea). */
export async function ideaProgress(deps: Pick<Deps, "db">, topicId: number) {
  const [ideaStatus, changes] = await Promise.all([q.currentStatus(deps.db, topicId), q.timeline(deps.db, topicId)]);
  const entries: TimelineEntry[] = changes.map((c) => ({
    id: c.id,
    status: c.status,
    note: c.note,
    staff: { id: c.staffId, name: c.staffName },
    createdAt: iso(c.createdAt),
  }));
  return { ideaStatus, timeline: entries };
}

export async function ideaProgressOf(deps: Deps, topicId: number, actor: Actor | null) {
  const { row } = await topicWithAccess(deps, topicId, actor);
  if (row.kind !== "idea") throw validationFailed({ id: "Only ideas have a status." });
  return ideaProgress(deps, topicId);
}

function ideaFilter(access: CommunityAccess, categoryId?: number): q.IdeaFilter {
  return {
    communityId: access.community.id,
    viewer: topicViewer(access),
    championsCategories: can(access, "category.champions"),
    categoryId,
  };
}

async function categoryFilter(deps: Deps, access: CommunityAccess, category: string | undefined) {
  if (!category) return undefined;
  const row = await q.categoryOf(deps.db, access.community.id, category);
  // A champions-only category is as unknown to others as one that does not exist (as for topics and search).
  if (!row || !canSeeCategory(access, row)) throw validationFailed({ category: "Unknown category." });
  return row.id;
}

/**
 * The ideas board: visible ideas with their status, at most `limit` in each status (after the first
 * `offset`), sorted by votes or by the latest change, and how many there are in each status (under
 * the same category filter).
 */
export async function listIdeas(deps: Deps, access: CommunityAccess, query: IdeasQuery) {
  const filter = ideaFilter(access, await categoryFilter(deps, access, query.category));
  const [rows, counted] = await Promise.all([
    q.listIdeas(deps.db, {
      ...filter,
      status: query.status,
      sort: query.sort,
      limit: query.limit,
      offset: query.offset,
    }),
    q.countIdeas(deps.db, filter),
  ]);
  const topics = await topicsByIds(
    deps,
    rows.map((r) => r.id),
  );
  const items = rows.flatMap((r) => {
    const topic = topics.get(r.id);
    if (!topic) return [];
    return [
      {
        ...toPublicTopic(topic, access.community, access),
        ideaStatus: r.status,
        statusChangedAt: r.statusChangedAt === null ? null : iso(r.statusChangedAt),
      },
    ];
  });
  const counts = Object.fromEntries(IDEA_STATUSES.map((s) => [s, counted.get(s) ?? 0])) as Record<IdeaStatus, number>;
  return { items, counts };
}

export type IdeaItem = Awaited<ReturnType<typeof listIdeas>>["items"][number];

/** The latest status changes of the ideas the viewer may see, for the Atom feed. */
export async function recentChanges(deps: Deps, access: CommunityAccess, limit = 50) {
  const rows = await q.recentChanges(deps.db, ideaFilter(access), limit);
  return rows.map((r) => ({ ...r, createdAt: Number(r.createdAt) }));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The ideas figures of a community for its analytics (staff): how many ideas are in each status,
 * and how long ideas took from being posted ("new") to "done", in days.
 */
export async function ideaFigures(deps: Deps, access: CommunityAccess) {
  requirePrivilege(access, "idea.setStatus", "Only staff can see the ideas figures.");
  return ideaFiguresFor(deps, access);
}

/** The ideas figures, for a caller that checked its own permission (the community's Insights). */
export async function ideaFiguresFor(deps: Deps, access: CommunityAccess) {
  const filter = ideaFilter(access);
  const [counted, done] = await Promise.all([q.countIdeas(deps.db, filter), q.doneTimes(deps.db, filter)]);
  const days = done.map((d) => (Number(d.doneAt) - Number(d.createdAt)) / DAY_MS);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
  return {
    counts: Object.fromEntries(IDEA_STATUSES.map((s) => [s, counted.get(s) ?? 0])) as Record<IdeaStatus, number>,
    newToDone: {
      ideas: days.length,
      medianDays: round(median(days)),
      meanDays: round(days.length ? days.reduce((a, b) => a + b, 0) / days.length : null),
    },
  };
}
