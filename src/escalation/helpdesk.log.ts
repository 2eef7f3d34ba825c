import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { forbidden } from "../core/errors.ts";

/**
 * The log of signed help-desk events with their outcomes, for staff. An outcome is stored in
 * English, as the API lists it ("applied: reply 12 (accepted)", "refused: <the error's message>");
 * readOutcome reads the known forms back so the staff page words them in the reader's language.
 */
export async function logEvent(
  db: Db,
  entry: { communityId: number; deliveryId: string; type: string; topicId: number | null; outcome: string; at: number },
) {
  await db
    .insertInto("helpdeskEvents")
    .values({
      communityId: entry.communityId,
      deliveryId: entry.deliveryId,
      type: entry.type,
      topicId: entry.topicId,
      outcome: entry.outcome.slice(0, 500),
      receivedAt: entry.at,
    })
    .execute();
}

/** Incoming events, newest first, for staff (the webhook's page). */
export async function listHelpdeskEvents(deps: Deps, access: CommunityAccess, limit = 50) {
  if (!can(access, "queue.work")) throw forbidden("Only staff can see help-desk events.");
  const rows = await deps.db
    .selectFrom("helpdeskEvents")
    .select(["id", "deliveryId", "type", "topicId", "outcome", "receivedAt"])
    .where("communityId", "=", access.community.id)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, receivedAt: new Date(Number(r.receivedAt)).toISOString() }));
}

/**
 * The outcomes receiveHelpdeskEvent writes, each with its catalog message (`helpdesk.outcome.<key>`);
 * the named groups are the message's placeholders. A refusal of another cause keeps its error's
 * message as the reason.
 */
const KNOWN_OUTCOMES = [
  { form: /^duplicate$/, key: "duplicate" },
  { form: /^applied: linked$/, key: "linked" },
  { form: /^applied: status (?<status>.+)$/s, key: "status" },
  { form: /^applied: reply (?<reply>\d+)$/, key: "reply" },
  { form: /^applied: reply (?<reply>\d+) \(accepted\)$/, key: "replyAccepted" },
  { form: /^applied: case resolved$/, key: "resolved" },
  { form: /^applied: no open case$/, key: "noOpenCase" },
  { form: /^ignored: status (?<status>.+) \(the ticket is closed\)$/s, key: "statusOfClosed" },
  { form: /^ignored: closure of ticket (?<ticket>.+) \(the topic's ticket is (?<current>.+)\)$/s, key: "closedFormer" },
  { form: /^refused: no such topic in this community$/, key: "noSuchTopic" },
  { form: /^refused: this kind of topic has no solution$/, key: "noSolution" },
  { form: /^refused: (?<reason>.+)$/s, key: "refused" },
] as const;

export type OutcomeKey = (typeof KNOWN_OUTCOMES)[number]["key"];

/** A logged outcome read back: its message and placeholders, or (a form not known) the text as stored. */
export function readOutcome(
  text: string,
): { key: OutcomeKey; params: Record<string, string> } | { key: null; text: string } {
  for (const { form, key } of KNOWN_OUTCOMES) {
    const match = form.exec(text);
    if (match) return { key, params: { ...match.groups } };
  }
  return { key: null, text };
}
