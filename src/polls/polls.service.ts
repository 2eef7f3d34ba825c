import type { Actor, Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { preparedFirst } from "../db/prepared.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can, requirePrivilege } from "../access/privileges.ts";
import { AppError, fieldRefused, notFound } from "../core/errors.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { ensureMember } from "../communities/index.ts";
import { lockTopicAsItIs, topicWithAccess } from "../topics/index.ts";
import type { CreatePollInput } from "./polls.schema.ts";
import { screenPollOptions } from "./polls.screening.ts";
import { lockRows } from "../db/row-locks.ts";
import { emit } from "../jobs/events.ts";
import "./polls.events.ts";
import { iso } from "../lib/iso-time.ts";

type PollRow = { id: number; topicId: number; multiple: number; closesAt: number | null; createdAt: number };

/** What of its topic a poll depends on: a topic a moderator locked takes no more votes. */
type PollTopic = { locked: boolean };

/**
 * A vote on the poll of a locked topic, or a new poll on it, is refused (403), as a reply to it
 * would be: its results stand as they are until a moderator unlocks it. Explained, so the ballot
 * or the form says why in the reader's language.
 */
const topicLockedRefusal = (attempt: "vote" | "create") =>
  attempt === "vote"
    ? new AppError("forbidden", "This topic is locked: its poll takes no more votes.", undefined, {
        key: "poll.topicLocked",
      })
    : new AppError("forbidden", "This topic is locked: it takes no new poll.", undefined, {
        key: "poll.topicLockedNoPoll",
      });

/**
 * The poll as the viewer sees it. Results (votes per option and voters) show once the viewer has
 * voted, once the poll is closed, and always to anonymous visitors, who cannot vote anyway: only
 * a member who may still vote sees the choices without the counts, so they are not swayed.
 */
async function pollView(db: Db, poll: PollRow, topic: PollTopic, access: CommunityAccess, now: number) {
  const actorId = access.actor?.id ?? -1;
  const [options, counts, mine] = await Promise.all([
    db.selectFrom("pollOptions").select(["id", "label"]).where("pollId", "=", poll.id).orderBy("position").execute(),
    db
      .selectFrom("pollVotes")
      .select(["optionId", (eb) => eb.fn.countAll<number>().as("n")])
      .where("pollId", "=", poll.id)
      .groupBy("optionId")
      .execute(),
    db.selectFrom("pollVotes").select("optionId").where("pollId", "=", poll.id).where("userId", "=", actorId).execute(),
  ]);
  const voters = await db
    .selectFrom("pollVotes")
    .select((eb) => eb.fn.count<number>("userId").distinct().as("n"))
    .where("pollId", "=", poll.id)
    .executeTakeFirstOrThrow();
  const closed = poll.closesAt !== null && poll.closesAt <= now;
  const myVote = mine.map((m) => m.optionId);
  const canVote = !closed && !topic.locked && can(access, "poll.vote");
  const showResults = closed || myVote.length > 0 || !canVote;
  const byOption = new Map(counts.map((c) => [c.optionId, Number(c.n)]));
  return {
    id: poll.id,
    topicId: poll.topicId,
    multiple: poll.multiple === 1,
    closesAt: iso(poll.closesAt),
    closed,
    /** Its topic is locked: nobody votes until a moderator unlocks it, and everyone sees the results. */
    topicLocked: topic.locked,
    createdAt: iso(poll.createdAt)!,
    options: options.map((o) => ({ id: o.id, label: o.label, votes: showResults ? (byOption.get(o.id) ?? 0) : null })),
    /** Members who voted; null while the results are hidden from the viewer. */
    voters: showResults ? Number(voters.n) : null,
    resultsVisible: showResults,
    myVote,
    abilities: { vote: canVote },
  };
}

export type PollView = Awaited<ReturnType<typeof pollView>>;

function pollRow(db: Db) {
  return db.selectFrom("polls").select(["id", "topicId", "multiple", "closesAt", "createdAt"]);
}

const onlyAuthorOrStaff = "Only the topic's author or staff can add a poll.";

/** Adds the one poll a topic may carry (its author or staff), its options screened as a post's text is. */
export async function createPoll(deps: Deps, topicId: number, actor: Actor, input: CreatePollInput) {
  const { row, access } = await topicWithAccess(deps, topicId, actor);
  requirePrivilege(access, "poll.create", onlyAuthorOrStaff, row.authorId);
  if (row.locked === 1) throw topicLockedRefusal("create");
  const now = deps.clock.now();
  const closesAt = input.closesAt === undefined ? null : Date.parse(input.closesAt);
  if (closesAt !== null && closesAt <= now)
    throw fieldRefused("closesAt", "Choose a time in the future.", "poll.closesPast");
  await screenPollOptions(deps, access, input.options);
  const poll = await transaction(deps, async (tx) => {
    await lockOpenPollTopic(tx, topicId, "create");
    // Read again under that lock: an author banned or suspended since (or staff no longer) adds no poll.
    const current = await topicWithAccess({ ...deps, db: tx.db }, topicId, actor);
    requirePrivilege(current.access, "poll.create", onlyAuthorOrStaff, current.row.authorId);
    const created = await tx.db
      .insertInto("polls")
      .values({
        topicId,
        communityId: row.communityId,
        multiple: input.multiple ? 1 : 0,
        closesAt,
        createdBy: actor.id,
        createdAt: now,
      })
      .onConflict((oc) => oc.column("topicId").doNothing())
      .returning(["id", "topicId", "multiple", "closesAt", "createdAt"])
      .executeTakeFirst();
    // Explained, so the form comes back with what was typed and the message in the reader's language.
    if (!created)
      throw new AppError("conflict", "This topic already has a poll.", undefined, { key: "poll.alreadyHasPoll" });
    await tx.db
      .insertInto("pollOptions")
      .values(input.options.map((label, position) => ({ pollId: created.id, position, label })))
      .execute();
    await emit(tx, "poll.created", { topicId, communityId: row.communityId, pollId: created.id, authorId: actor.id });
    return created;
  });
  return { poll: await pollView(deps.db, poll, topicOf(row), access, now) };
}

const topicOf = (row: { locked: number }): PollTopic => ({ locked: row.locked === 1 });

/** The poll's topic for a viewer who may read it; else 404, as the poll's own address (a merged or deleted one too). */
const pollTopicFor = (deps: Deps, topicId: number, actor: Actor | null) =>
  topicWithAccess(deps, topicId, actor).catch(() => {
    throw notFound("Poll");
  });

async function pollWithAccess(deps: Deps, pollId: number, actor: Actor | null) {
  const poll = await pollRow(deps.db).where("id", "=", pollId).executeTakeFirst();
  if (!poll) throw notFound("Poll");
  // Whoever may not see the topic may not know the poll exists (a merged or deleted one included).
  const { row, access } = await pollTopicFor(deps, poll.topicId, actor);
  return { poll, topic: topicOf(row), access };
}

/** The topic a poll is on, for a viewer who may read it (else 404, as the poll's own address). */
export async function pollTopicId(deps: Deps, pollId: number, actor: Actor | null): Promise<number> {
  return (await pollWithAccess(deps, pollId, actor)).poll.topicId;
}

export async function getPoll(deps: Deps, pollId: number, actor: Actor | null) {
  const { poll, topic, access } = await pollWithAccess(deps, pollId, actor);
  return { poll: await pollView(deps.db, poll, topic, access, deps.clock.now()) };
}

// Read on every topic page: compiled once (db/prepared.ts).
const pollOfTopicRow = preparedFirst((db, v: { topicId: number }) => pollRow(db).where("topicId", "=", v.topicId));

/** Whether the topic carries its one poll already. */
export async function topicHasPoll(db: Db, topicId: number): Promise<boolean> {
  return (await pollOfTopicRow(db, { topicId })) !== undefined;
}

/** The poll of a topic for its page, or null. */
async function pollOfTopic(
  deps: Pick<Deps, "db" | "clock">,
  topic: PollTopic & { id: number },
  access: CommunityAccess,
) {
  const poll = await pollOfTopicRow(deps.db, { topicId: topic.id });
  return poll ? pollView(deps.db, poll, topic, access, deps.clock.now()) : null;
}

/**
 * A topic's poll, or whether the viewer may add one (its author and staff): what the topic page
 * offers. `hasPoll` false: the caller knows the topic has none (the page's facts), and none is read.
 */
export async function topicPoll(
  deps: Pick<Deps, "db" | "clock">,
  topic: PollTopic & { id: number; authorId: number },
  access: CommunityAccess,
  hasPoll = true,
) {
  const poll = hasPoll ? await pollOfTopic(deps, topic, access) : null;
  return {
    poll,
    abilities: { create: poll === null && !topic.locked && can(access, "poll.create", topic.authorId) },
  };
}

/**
 * The poll's topic as it is now, its row share-locked (PostgreSQL; SQLite has one writer) until
 * the vote commits: a moderator's lock (an update of the row) waits for the vote, or the vote
 * waits for the lock and then sees it. Share, not update: it queues only what writes the topic's
 * row (a lock, a merge, a reply's lockOpenTopic), not the replies and votes that merely reference it.
 * Refuses a topic merged or deleted since it was read (409) and one locked meanwhile (403, as if
 * locked before).
 */
async function lockOpenPollTopic(tx: Tx, topicId: number, attempt: "vote" | "create"): Promise<void> {
  const topic = await lockTopicAsItIs(tx, topicId, { share: true, gone: { key: "poll.topicGone" } });
  if (topic.locked === 1) throw topicLockedRefusal(attempt);
}

/**
 * Casts or changes the actor's vote: their ballot is replaced as a whole, until the poll closes,
 * while its topic is open (not locked by a moderator). The topic's row is share-locked, then the
 * poll's row locked (PostgreSQL; SQLite has one writer): a lock of the topic at the same moment
 * cannot let the vote in, and two votes of the same member at once end as one ballot, never as both.
 */
export async function castVote(deps: Deps, pollId: number, actor: Actor, optionIds: number[]) {
  const { poll, topic, access } = await pollWithAccess(deps, pollId, actor);
  // A suspended member is told until when and why, as elsewhere.
  requirePrivilege(access, "poll.vote", "Join this community to vote.");
  if (topic.locked) throw topicLockedRefusal("vote");
  const chosen = [...new Set(optionIds)];
  if (!poll.multiple && chosen.length > 1) throw fieldRefused("optionIds", "Choose one option.", "poll.onlyOne");
  const valid = await deps.db
    .selectFrom("pollOptions")
    .select("id")
    .where("pollId", "=", pollId)
    .where("id", "in", chosen)
    .execute();
  if (valid.length !== chosen.length)
    throw fieldRefused("optionIds", "Choose options of this poll.", "poll.optionsOfThisPoll");
  await transaction(deps, async (tx) => {
    // The topic's row before the poll's: parent first, in the order a cascade from the topic would lock them.
    await lockOpenPollTopic(tx, poll.topicId, "vote");
    // Read again under that lock: a topic moved into a private category or hidden since it was
    // read takes no vote from whoever may no longer read it, nor shows them its results (404);
    // a member banned or suspended since takes no vote either (403, told until when and why).
    const current = await pollTopicFor({ ...deps, db: tx.db }, poll.topicId, actor);
    requirePrivilege(current.access, "poll.vote", "Join this community to vote.");
    await lockRows(tx, "polls", [pollId]);
    // The closing time is checked inside the transaction, against the clock of the vote.
    const now = tx.clock.now();
    if (poll.closesAt !== null && poll.closesAt <= now)
      throw new AppError("conflict", "This poll is closed.", undefined, { key: "poll.closedNoVotes" });
    await tx.db.deleteFrom("pollVotes").where("pollId", "=", pollId).where("userId", "=", actor.id).execute();
    await tx.db
      .insertInto("pollVotes")
      .values(chosen.map((optionId) => ({ pollId, userId: actor.id, optionId, createdAt: now })))
      .execute();
    await ensureMember(tx, access.community.id, actor.id);
    await emit(tx, "poll.voted", {
      topicId: poll.topicId,
      communityId: access.community.id,
      pollId,
      voterId: actor.id,
    });
  });
  return { poll: await pollView(deps.db, poll, topic, access, deps.clock.now()) };
}
