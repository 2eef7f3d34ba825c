import { installCatalogs } from "../i18n/i18n.ts";
import { academyMessages } from "../academy/messages/index.ts";
import { accountsMessages } from "../accounts/messages/index.ts";
import { communitiesMessages } from "../communities/messages/index.ts";
import { ideasMessages } from "../ideas/messages/index.ts";
import { pollsMessages } from "../polls/messages/index.ts";
import { escalationMessages } from "../escalation/messages/index.ts";
import { marketplaceMessages } from "../marketplace/messages/index.ts";
import { moderationMessages } from "../moderation/messages/index.ts";
import { notificationsMessages } from "../notifications/messages/index.ts";
import { reputationMessages } from "../reputation/messages/index.ts";
import { routingMessages } from "../routing/messages/index.ts";
import { searchMessages } from "../search/messages/index.ts";
import { seoMessages } from "../seo/messages/index.ts";
import { topicsMessages } from "../topics/messages/index.ts";
import { webMessages } from "../web/messages/index.ts";
import { insightsMessages } from "../insights/messages/index.ts";
import { widgetMessages } from "../widget/messages/index.ts";
import { ssoMessages } from "../sso/messages/index.ts";

/** Every catalog of every domain, one line each. */
export const CATALOGS = [
  webMessages,
  accountsMessages,
  communitiesMessages,
  topicsMessages,
  notificationsMessages,
  searchMessages,
  routingMessages,
  escalationMessages,
  ideasMessages,
  pollsMessages,
  reputationMessages,
  moderationMessages,
  academyMessages,
  marketplaceMessages,
  seoMessages,
  insightsMessages,
  widgetMessages,
  ssoMessages,
];

export function installAllCatalogs(): void {
  installCatalogs(CATALOGS);
}
