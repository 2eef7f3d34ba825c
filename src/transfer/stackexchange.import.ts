import fs from "node:fs";
import path from "node:path";
import type { Deps } from "../core/deps.ts";
import { LIMITS } from "../core/config.ts";
import type { Db } from "../db/database.ts";
import type { ExternalKind, ModerationState } from "../db/schema.ts";
import { badRequest } from "../core/errors.ts";
import { insertWithHandle, insertWithHandles } from "../accounts/index.ts";
import { importDuplicateMark } from "../search/index.ts";
import { ExternalIds } from "./external-ids.ts";
import { type DumpFile, type DumpRow, dumpFile, dumpRows, dumpTime } from "./stackexchange.dump.ts";
import {
  SE_LINK_DUPLICATE,
  SE_POST,
  SE_VOTE,
  answerValues,
  authorKey,
  commentValues,
  displayNameOf,
  importedUser,
  postUrl,
  questionValues,
} from "./stackexchange.rows.ts";
import { type Progress, ensureCommunity, finishImport } from "./transfer.community.ts";

export interface StackExchangeImport {
  dir: string;
  slug: string;
  /** The community's name when it is created; the site's address otherwise. */
  name?: string;
  onProgress?: (progress: Progress) => void;
  /** Rows per transaction (500). */
  batchSize?: number;
}

export interface ImportSummary {
  communityId: number;
  site: string;
  created: boolean;
  counts: Record<string, number>;
}

/** Rows written per transaction: few enough to keep a crash's loss small, many enough to be fast. */
const BATCH = 500;

type Ctx = {
  deps: Deps;
  ids: ExternalIds;
  site: string;
  counts: Record<string, number>;
  /** Question -> its accepted answer, both as external ids; applied once every answer is in. */
  accepted: Map<string, string>;
  /** Topics merged or deleted here: the dump changes them no more, nor adds answers or comments. */
  leftAlone: Set<number>;
  /** Answer (external id) -> its question's topic here, for the comments on it. */
  answerTopic: Map<string, number>;
};

const bump = (ctx: Ctx, what: string) => {
  ctx.counts[what] = (ctx.counts[what] ?? 0) + 1;
};

/**
 * Imports one Stack Exchange site from its dump directory into a community (created when
 * missing). Idempotent: each record is found again through external_ids and updated, never
 * duplicated. Resumable: rows are written in batches, each one transaction with its mappings, so
 * a crash loses at most the batch in progress and the same command picks up from there.
 * Search indexing and the expertise model are built once, at the end.
 */
export async function importStackExchange(deps: Deps, input: StackExchangeImport): Promise<ImportSummary> {
  if (!fs.existsSync(input.dir) || !fs.statSync(input.dir).isDirectory())
    throw badRequest(`No such directory: ${input.dir}`);
  const posts = dumpFile(input.dir, "Posts");
  if (!posts) throw badRequest(`No Posts.xml or Posts.xml.gz in ${input.dir}`);
  // Its first row read before anything is written: a file that cannot be read leaves no empty community.
  for await (const _row of dumpRows(posts)) break;
  const site = path.basename(path.resolve(input.dir));
  // Without --name, the dump's directory names it, cut to a community name's length.
  const name = input.name ?? site.slice(0, LIMITS.nameMax);
  const { community, created } = await ensureCommunity(deps, input.slug, name);
  const ids = await ExternalIds.load(deps.db, community.id, `stackexchange:${site}`);
  const ctx: Ctx = { deps, ids, site, counts: {}, accepted: new Map(), leftAlone: new Set(), answerTopic: new Map() };
  const phases: [DumpFile, ImportBatch][] = [
    ["Users", importUserRows],
    ["Posts", eachRow(importPostRow)],
    ["Comments", eachRow(importCommentRow)],
    ["Votes", eachRow(importVoteRow)],
    ["PostLinks", eachRow(importLinkRow)],
    ["Tags", eachRow(async (c) => bump(c, "tags"))],
  ];
  for (const [name, importBatch] of phases) {
    const file = dumpFile(input.dir, name);
    if (!file) continue;
    const total = fs.statSync(file).size;
    let read = 0;
    let batch: DumpRow[] = [];
    const flush = async () => {
      const rows = batch;
      batch = [];
      await ids.inTransaction(deps.db, (tx) => importBatch(ctx, tx, rows));
      input.onProgress?.({ phase: name, done: read, total });
    };
    for await (const row of dumpRows(file, (bytes) => (read = bytes))) {
      batch.push(row);
      if (batch.length >= (input.batchSize ?? BATCH)) await flush();
    }
    await flush();
    if (name === "Posts") await applyAccepted(ctx);
  }
  await finishImport(deps, community.id, input.onProgress);
  return { communityId: community.id, site, created, counts: ctx.counts };
}

type ImportBatch = (ctx: Ctx, tx: Db, rows: DumpRow[]) => Promise<void>;

const eachRow =
  (importRow: (ctx: Ctx, tx: Db, row: DumpRow) => Promise<void>): ImportBatch =>
  async (ctx, tx, rows) => {
    for (const row of rows) await importRow(ctx, tx, row);
  };

/** Rows per multi-row insert: well under both engines' parameter limits. */
const INSERT_CHUNK = 100;

async function chunked<T>(items: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += INSERT_CHUNK) await write(items.slice(i, i + INSERT_CHUNK));
}

/**
 * The Users file a batch at a time (it is the longest): new members in a few multi-row statements,
 * found again by their unique import address; known ones renamed while nobody owns the account
 * (a claimed member chose their name, a deleted one has none).
 */
async function importUserRows(ctx: Ctx, tx: Db, rows: DumpRow[]): Promise<void> {
  const { communityId, source } = ctx.ids;
  const fresh = new Map<string, ReturnType<typeof importedUser>>();
  for (const row of rows) {
    if (!row.Id) continue;
    const since = dumpTime(row.CreationDate) ?? ctx.deps.clock.now();
    const values = importedUser(communityId, source, row.Id, row.DisplayName ?? "", since);
    const known = ctx.ids.get("user", row.Id);
    if (known !== undefined)
      await tx
        .updateTable("users")
        .set({ name: values.name })
        .where("id", "=", known)
        // Still the import's own address: not claimed (a claim sets a real one; a single sign-on
        // login after it may clear the password again) and not deleted (that renames the address).
        .where("email", "=", values.email)
        .execute();
    else fresh.set(row.Id, values);
    bump(ctx, "users");
  }
  const members = [...fresh];
  // Handles come from the names, as at signup; renamed members above keep theirs.
  await chunked(members, (chunk) =>
    insertWithHandles(
      tx,
      chunk.map(([, values]) => values.name),
      (handles) =>
        tx
          .insertInto("users")
          .values(chunk.map(([, values], i) => ({ ...values, handle: handles[i] })))
          .execute(),
    ),
  );
  const idByEmail = new Map<string, number>();
  await chunked(members, async (chunk) => {
    const emails = chunk.map(([, values]) => values.email);
    for (const row of await tx.selectFrom("users").select(["id", "email"]).where("email", "in", emails).execute())
      idByEmail.set(row.email, row.id);
  });
  const mapped = members.map(([key, values]) => ({ key, id: idByEmail.get(values.email)!, since: values.createdAt }));
  await ctx.ids.addMany(
    tx,
    "user",
    mapped.map((m) => [m.key, m.id]),
  );
  await chunked(mapped, (chunk) =>
    tx
      .insertInto("memberships")
      .values(chunk.map((m) => ({ communityId, userId: m.id, role: "member" as const, createdAt: m.since })))
      .onConflict((oc) => oc.columns(["communityId", "userId"]).doNothing())
      .execute(),
  );
}

type Posted = "topics" | "replies" | "comments";

/**
 * Columns set only when a row is created: where it lives and what the community may change since
 * (a moderator moves and merges topics; a merge moves their replies and comments).
 */
const PLACEMENT: Record<Posted, readonly string[]> = {
  topics: ["communityId", "categoryId", "kind", "replyCount", "followerCount", "acceptedReplyId"],
  replies: ["topicId"],
  comments: ["replyId", "topicId"],
};

/** Rows a moderator merged or deleted: a later run leaves them as they are. */
const LEFT_ALONE: ModerationState[] = ["merged", "deleted"];

/**
 * The local row of an external record: inserted and mapped, or, when the map knows it, its
 * content updated (not its placement). `written` is false for a known row left alone.
 */
async function upsert(
  ctx: Ctx,
  tx: Db,
  table: Posted,
  kind: ExternalKind,
  externalId: string,
  values: Record<string, unknown>,
): Promise<{ id: number; written: boolean }> {
  const known = ctx.ids.get(kind, externalId);
  if (known !== undefined) {
    const content = Object.fromEntries(Object.entries(values).filter(([column]) => !PLACEMENT[table].includes(column)));
    // biome-ignore lint/suspicious/noExplicitAny: one statement for three tables whose values the callers typed
    const { numUpdatedRows } = await (tx.updateTable(table) as any)
      .set(content)
      .where("id", "=", known)
      .where("moderationState", "not in", LEFT_ALONE)
      .executeTakeFirst();
    return { id: known, written: Number(numUpdatedRows) > 0 };
  }
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const row = await (tx.insertInto(table) as any).values(values).returning("id").executeTakeFirstOrThrow();
  await ctx.ids.add(tx, kind, externalId, row.id);
  return { id: row.id as number, written: true };
}

/** Whether a post would be new in a topic left alone (known ones are updated where they are now). */
const closedTo = (ctx: Ctx, topicId: number, kind: ExternalKind, externalId: string) =>
  ctx.leftAlone.has(topicId) && ctx.ids.get(kind, externalId) === undefined;

/** The member behind an author key, created on first sight (deleted users are known by name only). */
async function memberFor(ctx: Ctx, tx: Db, key: string, row: DumpRow): Promise<number> {
  const known = ctx.ids.get("user", key);
  if (known !== undefined) return known;
  const { communityId, source } = ctx.ids;
  const createdAt = dumpTime(row.CreationDate) ?? ctx.deps.clock.now();
  const values = importedUser(communityId, source, key, displayNameOf(key, row), createdAt);
  const { id } = await insertWithHandle(tx, values.name, (handle) =>
    tx
      .insertInto("users")
      .values({ ...values, handle })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  await ctx.ids.add(tx, "user", key, id);
  await tx
    .insertInto("memberships")
    .values({ communityId, userId: id, role: "member", createdAt })
    .onConflict((oc) => oc.columns(["communityId", "userId"]).doNothing())
    .execute();
  bump(ctx, "users");
  return id;
}

/** A post or comment without an Id cannot be found again (a second run would duplicate it): skipped. */
const NO_ID = "skipped rows without an Id";

async function importPostRow(ctx: Ctx, tx: Db, row: DumpRow): Promise<void> {
  if (!row.Id) return bump(ctx, NO_ID);
  const now = ctx.deps.clock.now();
  if (row.PostTypeId === SE_POST.question) {
    const authorId = await memberFor(ctx, tx, authorKey(row), row);
    const { tags, values } = questionValues(row, ctx.ids.communityId, authorId, now);
    const { id: topicId, written } = await upsert(ctx, tx, "topics", "topic", row.Id, values);
    if (!written) {
      ctx.leftAlone.add(topicId);
      return bump(ctx, "topics left as moderated (merged or deleted)");
    }
    await tx.deleteFrom("topicTags").where("topicId", "=", topicId).execute();
    if (tags.length)
      await tx
        .insertInto("topicTags")
        .values(tags.map((tag) => ({ topicId, communityId: ctx.ids.communityId, tag })))
        .execute();
    const source = { type: "stackexchange", site: ctx.site, externalId: row.Id, url: postUrl(ctx.site, row.Id) };
    await tx
      .insertInto("topicSources")
      .values({ topicId, ...source })
      .onConflict((oc) => oc.column("topicId").doUpdateSet(source))
      .execute();
    if (row.AcceptedAnswerId) ctx.accepted.set(row.Id, row.AcceptedAnswerId);
    bump(ctx, "topics");
  } else if (row.PostTypeId === SE_POST.answer) {
    const topicId = ctx.ids.get("topic", row.ParentId);
    if (topicId === undefined) return bump(ctx, "skipped answers (question not in the dump)");
    ctx.answerTopic.set(row.Id, topicId);
    if (closedTo(ctx, topicId, "reply", row.Id)) return bump(ctx, "skipped answers (question merged or deleted)");
    const authorId = await memberFor(ctx, tx, authorKey(row), row);
    await upsert(ctx, tx, "replies", "reply", row.Id, answerValues(row, topicId, authorId, now));
    bump(ctx, "replies");
  }
}

/** A comment on an answer goes under its reply; one on a question under the topic's question. */
async function importCommentRow(ctx: Ctx, tx: Db, row: DumpRow): Promise<void> {
  if (!row.Id) return bump(ctx, NO_ID);
  const replyId = ctx.ids.get("reply", row.PostId);
  const topicId = replyId === undefined ? ctx.ids.get("topic", row.PostId) : undefined;
  const on = replyId !== undefined ? { replyId } : topicId !== undefined ? { topicId } : undefined;
  if (!on) return bump(ctx, "skipped comments (post not in the dump)");
  const question = topicId ?? ctx.answerTopic.get(row.PostId);
  if (question !== undefined && closedTo(ctx, question, "comment", row.Id))
    return bump(ctx, "skipped comments (question merged or deleted)");
  const authorId = await memberFor(ctx, tx, authorKey(row, "UserId", "UserDisplayName"), row);
  await upsert(ctx, tx, "comments", "comment", row.Id, commentValues(row, on, authorId, ctx.deps.clock.now()));
  bump(ctx, "comments");
  if ("topicId" in on) bump(ctx, "of which on questions");
}

/**
 * Scores come with the posts. Public dumps name the voter only for favorites (which become
 * followers) and for some sites' up and down votes (which become votes); anonymous votes are
 * already in the scores.
 */
async function importVoteRow(ctx: Ctx, tx: Db, row: DumpRow): Promise<void> {
  const userId = ctx.ids.get("user", row.UserId);
  const topicId = ctx.ids.get("topic", row.PostId);
  const replyId = ctx.ids.get("reply", row.PostId);
  if (userId === undefined) return bump(ctx, "votes in scores");
  const createdAt = dumpTime(row.CreationDate) ?? ctx.deps.clock.now();
  if (row.VoteTypeId === SE_VOTE.favorite && topicId !== undefined) {
    await tx
      .insertInto("follows")
      .values({ topicId, userId, createdAt })
      .onConflict((oc) => oc.columns(["topicId", "userId"]).doNothing())
      .execute();
    return bump(ctx, "follows");
  }
  const value = row.VoteTypeId === SE_VOTE.up ? 1 : row.VoteTypeId === SE_VOTE.down ? -1 : 0;
  const target = topicId !== undefined ? { targetType: "topic" as const, targetId: topicId } : null;
  const onReply = replyId !== undefined ? { targetType: "reply" as const, targetId: replyId } : null;
  if (value === 0 || !(target ?? onReply)) return bump(ctx, "votes skipped");
  await tx
    .insertInto("votes")
    .values({ userId, ...(target ?? onReply)!, value, createdAt })
    .onConflict((oc) => oc.columns(["userId", "targetType", "targetId"]).doUpdateSet({ value }))
    .execute();
  bump(ctx, "votes");
}

/** Duplicate links mark the closed copy as a duplicate of the original; related links are not kept. */
async function importLinkRow(ctx: Ctx, tx: Db, row: DumpRow): Promise<void> {
  if (row.LinkTypeId !== SE_LINK_DUPLICATE) return bump(ctx, "related links (not kept)");
  const topicId = ctx.ids.get("topic", row.PostId);
  const originalId = ctx.ids.get("topic", row.RelatedPostId);
  if (topicId === undefined || originalId === undefined || topicId === originalId) return;
  const createdAt = dumpTime(row.CreationDate) ?? ctx.deps.clock.now();
  if (await importDuplicateMark(tx, { topicId, originalId, createdAt })) bump(ctx, "duplicates");
  else bump(ctx, "duplicate links closing a loop (not kept)");
}

/**
 * Accepted answers, once every answer has its local id: only an answer in the question's own
 * topic (a dump may name another question's; a merge may have moved it), shown there: a solution
 * a moderator hid here is withdrawn until restored (topics.state.ts), and a run does not bring it back.
 * Accepted by the question's author: on Stack Exchange only the asker accepts.
 */
async function applyAccepted(ctx: Ctx): Promise<void> {
  const pairs = [...ctx.accepted].flatMap(([question, answer]) => {
    const topicId = ctx.ids.get("topic", question);
    const replyId = ctx.ids.get("reply", answer);
    return topicId !== undefined && replyId !== undefined ? [{ topicId, replyId }] : [];
  });
  let applied = 0;
  for (let i = 0; i < pairs.length; i += BATCH)
    await ctx.deps.db.transaction().execute(async (tx) => {
      for (const { topicId, replyId } of pairs.slice(i, i + BATCH)) {
        const { numUpdatedRows } = await tx
          .updateTable("topics")
          .set((eb) => ({ acceptedReplyId: replyId, acceptedBy: eb.ref("authorId") }))
          .where("id", "=", topicId)
          // A solution chosen here (or by an earlier run) stays.
          .where("acceptedReplyId", "is", null)
          .where("hiddenSolutionId", "is", null)
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom("replies")
                .select("replies.id")
                .where("replies.id", "=", replyId)
                .where("replies.topicId", "=", topicId)
                .where("replies.moderationState", "=", "visible"),
            ),
          )
          .executeTakeFirst();
        applied += Number(numUpdatedRows);
      }
    });
  ctx.counts["accepted answers"] = applied;
}
