import { installPrivileges } from "../access/privileges.ts";
import { academyPrivileges } from "../academy/academy.privileges.ts";
import { communityPrivileges } from "../communities/communities.privileges.ts";
import { ideaPrivileges } from "../ideas/ideas.privileges.ts";
import { pollPrivileges } from "../polls/polls.privileges.ts";
import { escalationPrivileges } from "../escalation/escalation.privileges.ts";
import { marketplacePrivileges } from "../marketplace/marketplace.privileges.ts";
import { moderationPrivileges } from "../moderation/moderation.privileges.ts";
import { reputationPrivileges } from "../reputation/reputation.privileges.ts";
import { routingPrivileges } from "../routing/routing.privileges.ts";
import { searchPrivileges } from "../search/search.privileges.ts";
import { topicPrivileges } from "../topics/topics.privileges.ts";
import { insightsPrivileges } from "../insights/insights.privileges.ts";
import { editorPrivileges } from "../editor/editor.privileges.ts";

/** Every domain's privilege table, one line each; `can()` answers from their union. */
export const PRIVILEGE_TABLES = [
  communityPrivileges,
  topicPrivileges,
  moderationPrivileges,
  reputationPrivileges,
  searchPrivileges,
  routingPrivileges,
  escalationPrivileges,
  ideaPrivileges,
  pollPrivileges,
  academyPrivileges,
  marketplacePrivileges,
  insightsPrivileges,
  editorPrivileges,
];

export function installAllPrivileges(): void {
  installPrivileges(PRIVILEGE_TABLES);
}
