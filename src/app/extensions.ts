import { installTopicExtensions } from "../topics/topics.extensions.ts";
import { keepingAttachedImages } from "../editor/index.ts";
import { verifiedEmailGate } from "../accounts/accounts.verification.ts";
import { verificationPanel } from "../accounts/accounts.views.ts";
import { installTopicPanels } from "../topics/topics.panels.ts";
import { installTopicFacts } from "../topics/topics.facts.ts";
import { moderationScreening } from "../moderation/moderation.screening.ts";
import { flagAction, memberModerationPanel } from "../moderation/moderation.views.ts";
import { installProfilePanels } from "../reputation/reputation.panels.ts";
import { reputationVoteRules } from "../reputation/reputation.votes.ts";
import { duplicateFact, duplicatePanel, promotePanel, similarQuestionsAside } from "../search/search.panels.ts";
import { bookHelperPanel, offeredServiceFact } from "../marketplace/topic-link.ts";
import { ideaPanel } from "../ideas/ideas.panels.ts";
import { pollFact, pollTopicPanel } from "../polls/polls.panels.ts";
import { casePanel, expectationsIntro, ticketFact, ticketPanel } from "../escalation/scope.views.ts";
import { installParticipationGates } from "../access/participation.ts";
import { ssoRequirementGate } from "../sso/sso.requirements.ts";
import { installLoginMethods } from "../accounts/accounts.views.ts";
import { ssoLoginButtons } from "../sso/sso.views.ts";
import { installNotificationConditions } from "../notifications/notifications.visibility.ts";
import { routedOfferStands } from "../routing/index.ts";

/**
 * What other domains decide inside the use cases of topics, and add to its pages; and the conditions
 * on taking part (posting, applying as a service friend) that topics and the marketplace ask, and
 * the ways to log in besides a password; and when a kind of notification has lapsed.
 */
export function installExtensions(): void {
  installTopicExtensions({ screening: keepingAttachedImages(moderationScreening), votes: reputationVoteRules });
  installTopicPanels({
    above: [duplicatePanel, promotePanel, bookHelperPanel],
    below: [ticketPanel, ideaPanel, pollTopicPanel, casePanel],
    postActions: [flagAction],
    newTopicIntro: [expectationsIntro],
    newTopicAside: [similarQuestionsAside],
  });
  // What those panels need to know first, read with the topic (topics.facts.ts).
  installTopicFacts([duplicateFact, offeredServiceFact, ticketFact, pollFact]);
  installProfilePanels([memberModerationPanel, verificationPanel]);
  installParticipationGates([verifiedEmailGate, ssoRequirementGate]);
  installLoginMethods([ssoLoginButtons]);
  installNotificationConditions({ routed: routedOfferStands });
}
