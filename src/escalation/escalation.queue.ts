import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import type { Community } from "../db/schema.ts";
import { forbidden } from "../core/errors.ts";
import { topicViewer, toPublicTopic, topicsByIds, visibleTopicsSql } from "../topics/index.ts";

import { casesOf, toPublicCase } from "./escalation.service.ts";
import { can } from "../access/privileges.ts";

const QUEUE_MAX = 200;

/**
 * The staff queue: escalated topics and topics of staff-only and private categories, oldest case
 * first, until staff resolve them (or the topic is solved). Two queries whatever the length.
 */
export async function listQueue(
  deps: Deps,
  access: CommunityAccess & { community: Pick<Community, "slug"> },
  filter: { assignee?: "me" | "unassigned" },
) {
  if (!can(access, "queue.work")) throw forbidden("Only staff can see the staff queue.");
  let query = casesOf(deps.db, deps.clock.now())
    .innerJoin("topics", "topics.id", "supportCases.topicId")
    .where("supportCases.communityId", "=", access.community.id)
    .where("supportCases.resolvedAt", "is", null)
    .where("topics.acceptedReplyId", "is", null)
    // A case on a topic that was hidden or merged since waits where its topic can be read again.
    .where(visibleTopicsSql(topicViewer(access)))
    .orderBy("supportCases.openedAt")
    .orderBy("supportCases.topicId")
    .limit(QUEUE_MAX);
  if (filter.assignee === "me") query = query.where("assignee.id", "=", access.actor!.id);
  if (filter.assignee === "unassigned") query = query.where("assignee.id", "is", null);
  const cases = await query.execute();
  const topics = await topicsByIds(
    deps,
    cases.map((c) => c.topicId),
  );
  return cases.map((c) => ({ topic: toPublicTopic(topics.get(c.topicId)!, access.community), case: toPublicCase(c) }));
}
