import { forbidden } from "../core/errors.js";
import { toPublicTopic, topicsByIds } from "../topics/index.js";
import { casesOf, toPublicCase } from "./escalation.service.js";
import { can } from "../access/privileges.js";
const QUEUE_MAX = 200;
/**
 * The staff queue: escalated topics and topics of staff-only and private categories, oldest case
 * first, until staff resolve them (or the topic is solved). Two queries whatever the length.
 */
export async function listQueue(deps, access, filter) {
    if (!can(access, "queue.work"))
        throw forbidden("Only staff can see the staff queue.");
    let query = casesOf(deps.db)
        .innerJoin("topics", "topics.id", "supportCases.topicId")
        .where("supportCases.communityId", "=", access.community.id)
        .where("supportCases.resolvedAt", "is", null)
        .where("topics.acceptedReplyId", "is", null)
        .orderBy("supportCases.openedAt")
        .orderBy("supportCases.topicId")
        .limit(QUEUE_MAX);
    if (filter.assignee === "me")
        query = query.where("supportCases.assignedTo", "=", access.actor.id);
    if (filter.assignee === "unassigned")
        query = query.where("supportCases.assignedTo", "is", null);
    const cases = await query.execute();
    const topics = await topicsByIds(deps, cases.map((c) => c.topicId));
    return cases.map((c) => ({ topic: toPublicTopic(topics.get(c.topicId), access.community), case: toPublicCase(c) }));
}
