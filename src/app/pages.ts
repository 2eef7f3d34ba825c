import type { FastifyInstance } from "fastify";
import type { Deps } from "../core/deps.ts";
import { registerAssets } from "../web/assets.ts";
import { registerPages } from "../web/page-route.ts";
import { accountPages } from "../accounts/accounts.pages.ts";
import { communityPages } from "../communities/communities.pages.ts";
import { topicPages } from "../topics/topics.pages.ts";
import { topicEditPages } from "../topics/topics.edit.pages.ts";
import { notificationPages } from "../notifications/notifications.pages.ts";
import { searchPages } from "../search/search.pages.ts";
import { routingPages } from "../routing/routing.pages.ts";
import { ideaPages } from "../ideas/ideas.pages.ts";
import { pollPages } from "../polls/polls.pages.ts";
import { escalationPages } from "../escalation/escalation.pages.ts";
import { supportSettingsPages } from "../escalation/settings.pages.ts";
import { academyPages } from "../academy/academy.pages.ts";
import { marketplacePages, marketplaceUploads } from "../marketplace/marketplace.pages.ts";
import { reputationPages } from "../reputation/reputation.pages.ts";
import { moderationPages } from "../moderation/moderation.pages.ts";
import { seoPages } from "../seo/seo.pages.ts";
import { insightsPages } from "../insights/insights.pages.ts";
import { widgetPages } from "../widget/widget.pages.ts";
import { ssoPages } from "../sso/sso.pages.ts";
import { ssoSettingsPages } from "../sso/sso.settings.pages.ts";
import { DOMAIN_ASSETS } from "./layout.ts";
import { avatarUploads } from "../accounts/accounts.uploads.ts";
import { accountSettingsPages, avatarFormPages } from "../accounts/accounts.me.pages.ts";
import { recoveryPages } from "../accounts/accounts.recovery.pages.ts";
import { editorUploads } from "../editor/editor.routes.ts";
import type { PageRoute } from "../web/page-route.ts";

/** The forms that carry the post editor: multipart, so that an image picked without JavaScript comes along. */
const EDITOR_FORMS = new Set(["/c/:slug/new", "/c/:slug/t/:id/reply", "/c/:slug/t/:id/edit", "/c/:slug/r/:id/edit"]);
const isEditorForm = (route: PageRoute) => route.method === "POST" && EDITOR_FORMS.has(route.path);

/** Every HTML page of the product, one line per domain's list. */
export async function registerWeb(app: FastifyInstance, deps: Deps): Promise<void> {
  registerAssets(app, DOMAIN_ASSETS);
  const pages = [
    ...accountPages(deps),
    ...accountSettingsPages(deps),
    ...recoveryPages(deps),
    ...communityPages(deps),
    ...topicPages(deps),
    ...topicEditPages(deps),
    ...notificationPages(deps),
    ...searchPages(deps),
    ...routingPages(deps),
    ...escalationPages(deps),
    ...ideaPages(deps),
    ...pollPages(deps),
    ...supportSettingsPages(deps),
    ...reputationPages(deps),
    ...moderationPages(deps),
    ...academyPages(deps),
    ...marketplacePages(deps),
    ...seoPages(deps),
    ...insightsPages(deps),
    ...widgetPages(deps),
    ...ssoPages(deps),
    ...ssoSettingsPages(deps),
  ];
  registerPages(
    app,
    pages.filter((route) => !isEditorForm(route)),
  );
  // The application form takes a photo: multipart, parsed in a scope of its own.
  await app.register(marketplaceUploads(deps));
  // The avatar (API and account page): multipart too.
  await app.register(avatarUploads(deps, avatarFormPages(deps)));
  // The post editor's image uploads (API, and the forms above when sent without JavaScript).
  await app.register(editorUploads(deps, pages.filter(isEditorForm)));
}
