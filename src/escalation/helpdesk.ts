import crypto from "node:crypto";
import type { Actor, Deps } from "../core/deps.ts";
import type { SqlBool } from "kysely";
import type { Db } from "../db/database.ts";
import type { Role } from "../db/schema.ts";
import { STAFF_ROLES } from "../access/access.ts";
import { AppError, badRequest, conflict, notFound, unauthorized, validationFailed } from "../core/errors.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { SOLVABLE_KINDS, lockTopics, topicsByIds } from "../topics/index.ts";
import { insertWithHandle } from "../accounts/index.ts";
import { helpdeskEventBody, type HelpdeskEvent } from "./escalation.schema.ts";
import { closeCaseIn, isQueuedIn, replyIn } from "./escalation.service.ts";
import { signPayload } from "./webhooks.ts";
import { sha256 } from "../lib/crypto.ts";
import { logEvent } from "./helpdesk.log.ts";
import { isReopening, isTicketClosed, markTicketClosed } from "./helpdesk.tickets.ts";

/**
 * The incoming half of the help-desk connector: a help desk posts signed events to one endpoint
 * per community. The signature is the outgoing webhook's scheme with the same secret
 * ("sha256=" + hex HMAC-SHA256 of `${timestamp}.${body}`), the timestamp may be 5 minutes off at
 * most, and a delivery id is applied once: a replay answers `duplicate: true` and changes nothing.
 * Every signed event is logged with its outcome for staff.
 */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

export interface SignedRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string | undefined;
}

const header = (req: SignedRequest, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Refuses (401) a request whose signature is missing or wrong, or whose timestamp is stale. */
function verify(req: SignedRequest, secret: string | null, now: number): void {
  const timestamp = header(req, "x-crowdservice-timestamp") ?? "";
  const signature = header(req, "x-crowdservice-signature") ?? "";
  if (!secret || !signature) throw unauthorized("Missing or invalid signature.");
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now - Number(timestamp) * 1000) > SIGNATURE_TOLERANCE_MS)
    throw unauthorized("Stale or missing timestamp: sign with the current time in seconds.");
  const expected = Buffer.from(signPayload(secret, timestamp, req.rawBody ?? ""));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
    throw unauthorized("Missing or invalid signature.");
}

function parseEvent(rawBody: string | undefined): HelpdeskEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody ?? "");
  } catch {
    throw badRequest("The request body is not valid JSON.");
  }
  const parsed = helpdeskEventBody.safeParse(json);
  if (parsed.success) return parsed.data;
  throw validationFailed(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "body", i.message])));
}

async function upsertTicket(
  db: Db,
  topic: { id: number; communityId: number },
  event: HelpdeskEvent,
  now: number,
  /** undefined: the stored status stays (of the same ticket). */
  status: string | undefined,
) {
  await db
    .insertInto("helpdeskTickets")
    .values({
      topicId: topic.id,
      communityId: topic.communityId,
      ticketId: event.ticketId,
      ticketUrl: event.ticketUrl ?? null,
      status: status ?? null,
      updatedAt: now,
    })
    .onConflict((oc) =>
      oc.column("topicId").doUpdateSet((eb) => {
        // What the event leaves out stays as it was for the same ticket; of another ticket, the
        // former one's address, status and closing no longer hold (a link to 4711 labelled 4712).
        const ofSameTicket = <
          C extends "helpdeskTickets.ticketUrl" | "helpdeskTickets.status" | "helpdeskTickets.closedAt",
        >(
          column: C,
        ) => eb.case().when("helpdeskTickets.ticketId", "=", event.ticketId).then(eb.ref(column)).else(null).end();
        return {
          ticketId: event.ticketId,
          updatedAt: now,
          ticketUrl: event.ticketUrl ?? ofSameTicket("helpdeskTickets.ticketUrl"),
          status: status ?? ofSameTicket("helpdeskTickets.status"),
          closedAt: ofSameTicket("helpdeskTickets.closedAt"),
        };
      }),
    )
    .execute();
}

const SUPPORT_EMAIL_DOMAIN = "support.crowdservice.invalid";

/** Accounts, each with what decides whether it may act as staff of the community now (notStaffReason). */
function withStanding(db: Db, communityId: number) {
  return db
    .selectFrom("users")
    .leftJoin("memberships", (join) =>
      join.onRef("memberships.userId", "=", "users.id").on("memberships.communityId", "=", communityId),
    )
    .select((eb) => [
      "users.id",
      "users.name",
      "users.email",
      "users.deletedAt",
      "memberships.role",
      "memberships.suspendedUntil",
      eb
        .exists(
          eb
            .selectFrom("communityBans")
            .select("communityBans.userId")
            .whereRef("communityBans.userId", "=", "users.id")
            .where("communityBans.communityId", "=", communityId),
        )
        .as("banned"),
    ]);
}

/** The community's "Support team" account, once made, with what its standing in the community is now. */
function supportUserOf(db: Db, communityId: number) {
  return withStanding(db, communityId)
    .innerJoin("escalationWebhooks", "escalationWebhooks.supportUserId", "users.id")
    .where("escalationWebhooks.communityId", "=", communityId)
    .executeTakeFirst();
}

/** What decides whether an account may act as staff of a community now. */
interface Standing {
  deletedAt: number | null;
  banned: SqlBool;
  role: Role | null;
  suspendedUntil: number | null;
}

/**
 * Why an account may not act as staff in the community now, or null: only while it is staff there,
 * not suspended, not banned (an admin may demote, suspend, remove or ban it).
 */
function notStaffReason(user: Standing, now: number): string | null {
  if (user.deletedAt !== null) return "the account was deleted";
  if (user.banned) return "it is banned from the community";
  if (user.role === null) return "it is no longer a member of the community";
  if (!STAFF_ROLES.includes(user.role)) return `its role is now ${user.role}`;
  const until = user.suspendedUntil == null ? null : Number(user.suspendedUntil);
  if (until !== null && until > now)
    return `it is suspended until ${new Date(until).toISOString().replace("T", " ").slice(0, 16)} UTC`;
  return null;
}

/**
 * The community's "Support team" account: staff, never able to log in (no password hash), made on
 * first use. Help-desk replies of agents without a staff account are posted in its name, and their
 * ticket closures done in it. Once made, it stays the community's account: demoted, suspended,
 * removed or banned, nothing is done as it (409 with the reason, kept in the help-desk event log,
 * the event not remembered), and no new account is made behind the admin's decision; the help desk
 * sends the event again once an admin restored it.
 */
async function supportAccount(deps: Deps, communityId: number): Promise<Actor> {
  let user = await supportUserOf(deps.db, communityId);
  if (!user) {
    const now = deps.clock.now();
    user = await transaction(deps, async (tx) => {
      // Two first events at once: the webhook's row serialises them (SQLite serialises every write),
      // and the second finds the account the first made.
      if (deps.dialect === "postgres") {
        await tx.db
          .selectFrom("escalationWebhooks")
          .select("communityId")
          .where("communityId", "=", communityId)
          .forUpdate()
          .execute();
      }
      const made = await supportUserOf(tx.db, communityId);
      if (made) return made;
      const created = await insertWithHandle(tx.db, "Support team", (handle) =>
        tx.db
          .insertInto("users")
          .values({
            email: `community-${communityId}-${crypto.randomUUID()}@${SUPPORT_EMAIL_DOMAIN}`,
            name: "Support team",
            handle,
            passwordHash: "",
            isPlatformAdmin: 0,
            locale: null,
            signupIp: null,
            createdAt: now,
          })
          .returning(["id", "name", "email"])
          .executeTakeFirstOrThrow(),
      );
      await tx.db
        .insertInto("memberships")
        .values({ communityId, userId: created.id, role: "staff", createdAt: now })
        .execute();
      await tx.db
        .updateTable("escalationWebhooks")
        .set({ supportUserId: created.id })
        .where("communityId", "=", communityId)
        .execute();
      return { ...created, deletedAt: null, role: "staff" as const, suspendedUntil: null, banned: false };
    });
  }
  const why = notStaffReason(user, deps.clock.now());
  if (why)
    throw conflict(
      `The community's Support team account no longer acts for staff (${why}), so nothing was done as it: ` +
        "an admin must restore it (the staff role, no suspension or ban) before the help desk sends this again.",
    );
  return { id: user.id, name: user.name, email: user.email, isPlatformAdmin: false, locale: null, via: "token" };
}

/** The agent's staff account in the community by email, else the Support team account. */
async function agentActor(
  deps: Deps,
  communityId: number,
  email: string | undefined,
): Promise<{ actor: Actor; mapped: boolean }> {
  const staff = email
    ? await withStanding(deps.db, communityId)
        .where("memberships.role", "in", STAFF_ROLES)
        .where((eb) => eb(eb.fn("lower", ["users.email"]), "=", email.toLowerCase()))
        .executeTakeFirst()
    : undefined;
  if (!staff) return { actor: await supportAccount(deps, communityId), mapped: false };
  // A suspended agent does not act through the help desk either, not even as the Support team.
  const why = notStaffReason(staff, deps.clock.now());
  if (why)
    throw conflict(
      `The agent's staff account ${staff.email} may not act for staff now (${why}), so nothing was done: ` +
        "the help desk may send this again once the suspension ends or is lifted.",
    );
  return {
    actor: { id: staff.id, name: staff.name, email: staff.email, isPlatformAdmin: false, locale: null, via: "token" },
    mapped: true,
  };
}

type TopicRow = Parameters<typeof closeCaseIn>[1];

/**
 * The status an event leaves on the ticket (undefined: the stored one stays): of a ticket the help
 * desk closed, only a reopening status (helpdesk.tickets.ts); it takes the closed mark away.
 * Under the topic's row lock (apply takes it first), so a ticket.closed committing meanwhile is seen.
 */
async function statusAfter(tx: Tx, topic: TopicRow, event: HelpdeskEvent) {
  if (event.status === undefined) return undefined;
  if (!(await isTicketClosed(tx.db, topic.id, event.ticketId))) return event.status;
  if (!isReopening(event.status)) return undefined;
  await markTicketClosed(tx.db, { topicId: topic.id, ticketId: event.ticketId }, null);
  return event.status;
}

/** What an event changed nothing with is logged as such ("ignored: ..."), not as applied. */
const IGNORED = "ignored: ";

/**
 * Applies one event in the delivery's transaction (deps' queries are the transaction's); returns what
 * came of it, for the log.
 */
async function apply(deps: Deps, tx: Tx, topic: TopicRow, event: HelpdeskEvent): Promise<string> {
  const now = deps.clock.now();
  // The topic's row first, whatever the event: every event then takes its locks in one order (a
  // ticket.closed writing the ticket, then locking the topic to close the case, deadlocked with a
  // ticket.status locking the topic, then writing the ticket), and sees a closing committed meanwhile.
  await lockTopics(tx, [topic.id]);
  switch (event.type) {
    case "ticket.linked":
      await upsertTicket(tx.db, topic, event, now, await statusAfter(tx, topic, event));
      return "linked";
    case "ticket.status": {
      const status = await statusAfter(tx, topic, event);
      if (status === undefined) return `${IGNORED}status ${event.status} (the ticket is closed)`;
      await upsertTicket(tx.db, topic, event, now, status);
      return `status ${event.status}`;
    }
    case "ticket.reply": {
      const { actor, mapped } = await agentActor(deps, topic.communityId, event.agentEmail);
      // Posted as the Support team, the reply is signed with the agent's name.
      const signed = !mapped && event.agentName ? `${event.body}\n\n— ${event.agentName}` : event.body!;
      // Posted and accepted together: a refused acceptance posts nothing, and the retry posts once.
      const reply = await replyIn(deps, tx, topic.id, actor, signed, event.solves === true);
      await upsertTicket(tx.db, topic, event, now, await statusAfter(tx, topic, event));
      return `reply ${reply.id}${event.solves ? " (accepted)" : ""}`;
    }
    case "ticket.closed": {
      // A closure of a ticket the topic has since left (the help desk moved it to another, merged or
      // split), delivered late or retried: the topic's case and its current ticket stay as they are.
      const current = await tx.db
        .selectFrom("helpdeskTickets")
        .select("ticketId")
        .where("topicId", "=", topic.id)
        .executeTakeFirst();
      if (current && current.ticketId !== event.ticketId)
        return `${IGNORED}closure of ticket ${event.ticketId} (the topic's ticket is ${current.ticketId})`;
      const { actor } = await agentActor(deps, topic.communityId, event.agentEmail);
      await upsertTicket(tx.db, topic, event, now, event.status ?? "closed");
      await markTicketClosed(tx.db, { topicId: topic.id, ticketId: event.ticketId }, now);
      if (!(await isQueuedIn(tx, topic.id))) return "no open case";
      await closeCaseIn({ ...tx, baseUrl: deps.config.baseUrl }, topic, actor.id, {
        action: "case.resolve",
        resolution: "helpdesk",
        ticketId: event.ticketId,
      });
      return "case resolved";
    }
  }
}

/** Thrown in a delivery's transaction to take its claims back: the event was applied already. */
class DuplicateDelivery extends Error {}

/** Receives one signed event of a community's help desk. */
export async function receiveHelpdeskEvent(deps: Deps, slug: string, req: SignedRequest) {
  const community = await deps.db
    .selectFrom("communities")
    .leftJoin("escalationWebhooks", "escalationWebhooks.communityId", "communities.id")
    .select(["communities.id", "escalationWebhooks.secret"])
    .where("communities.slug", "=", slug.toLowerCase())
    .executeTakeFirst();
  if (!community) throw notFound("Community");
  const now = deps.clock.now();
  verify(req, community.secret, now);
  const deliveryId = header(req, "x-crowdservice-delivery")?.trim() ?? "";
  if (!deliveryId || deliveryId.length > 200)
    throw badRequest("Send a unique X-Crowdservice-Delivery id (200 characters at most).");
  const event = parseEvent(req.rawBody);
  const entry = { communityId: community.id, deliveryId, type: event.type, topicId: event.topicId, at: now };
  const seen = await deps.db
    .selectFrom("helpdeskDeliveries")
    .select("deliveryId")
    .where("communityId", "=", community.id)
    .where("deliveryId", "=", deliveryId)
    .executeTakeFirst();
  if (seen) {
    await logEvent(deps.db, { ...entry, outcome: "duplicate" });
    return { ok: true, duplicate: true };
  }
  const topic = (await topicsByIds(deps, [event.topicId])).get(event.topicId);
  // A merged or deleted topic takes no events (its replies and case went elsewhere, or nowhere).
  if (
    !topic ||
    topic.communityId !== community.id ||
    topic.moderationState === "merged" ||
    topic.moderationState === "deleted"
  ) {
    await logEvent(deps.db, { ...entry, outcome: "refused: no such topic in this community" });
    throw notFound("Topic");
  }
  // Refused before anything is written: a reply posted and then refused its acceptance would stay,
  // and each retry of the help desk would post it again.
  if (event.type === "ticket.reply" && event.solves && !SOLVABLE_KINDS.includes(topic.kind)) {
    await logEvent(deps.db, { ...entry, outcome: "refused: this kind of topic has no solution" });
    throw validationFailed({ solves: "Only questions and problems have a solution to accept." });
  }
  // The delivery id is claimed, and so is the signed request itself (the signature covers the
  // timestamp and the body, not the delivery id): a captured request sent again under a new delivery
  // id is a duplicate too. The claims and the work commit together, so a copy arriving meanwhile
  // answers `duplicate` only once the work is committed: it waits on the claimed row (PostgreSQL) or
  // for the one writer (SQLite), then finds it taken, or, the first attempt failed and kept nothing,
  // applies the event itself (test/escalation/helpdesk-delivery-race.test.ts).
  const keys = [deliveryId, `signed:${sha256(header(req, "x-crowdservice-signature") ?? "")}`];
  let outcome: string;
  try {
    outcome = await transaction(deps, async (tx) => {
      for (const key of keys) {
        const claimed = await tx.db
          .insertInto("helpdeskDeliveries")
          .values({ communityId: community.id, deliveryId: key, receivedAt: now })
          .onConflict((oc) => oc.columns(["communityId", "deliveryId"]).doNothing())
          .returning("deliveryId")
          .executeTakeFirst();
        if (!claimed) throw new DuplicateDelivery();
      }
      const done = await apply({ ...deps, db: tx.db }, tx, topic, event);
      await logEvent(tx.db, { ...entry, outcome: done.startsWith(IGNORED) ? done : `applied: ${done}` });
      return done;
    });
  } catch (error) {
    if (error instanceof DuplicateDelivery) {
      await logEvent(deps.db, { ...entry, outcome: "duplicate" });
      return { ok: true, duplicate: true };
    }
    // Not applied, nor remembered: the help desk may send it again once the cause is fixed.
    await logEvent(deps.db, { ...entry, outcome: `refused: ${error instanceof AppError ? error.message : "error"}` });
    throw error;
  }
  deps.wakeJobs?.();
  return { ok: true, duplicate: false, outcome };
}
