import { installTopicExtensions, type PostScreening } from "../topics/topics.extensions.ts";
import { assertMayPost } from "../accounts/accounts.verification.ts";
import { verificationPanel } from "../accounts/accounts.views.ts";
import { installTopicPanels } from "../topics/topics.panels.ts";
import { moderationScreening } from "../moderation/moderation.screening.ts";
import { flagAction, memberModerationPanel } from "../moderation/moderation.views.ts";
import { installProfilePanels } from "../reputation/reputation.panels.ts";
import { reputationVoteRules } from "../reputation/reputation.votes.ts";
import { duplicatePanel, promotePanel, similarQuestionsAside } from "../search/search.panels.ts";
import { bookHelperPanel } from "../marketplace/topic-link.ts";
import { ideaPanel } from "../ideas/ideas.panels.ts";
import { pollTopicPanel } from "../polls/polls.panels.ts";
import { casePanel, expectationsIntro, ticketPanel } from "../escalation/scope.views.ts";

/** Before moderation screens a post: a community may ask for a verified email address to post. */
const screening: PostScreening = {
  ...moderationScreening,
  screen: async (deps, access, submission) => {
    await assertMayPost(deps.db, access);
    return moderationScreening.screen(deps, access, submission);
  },
};

/** What other domains decide inside the use cases of topics, and add to its pages. */
export function installExtensions(): void {
  installTopicExtensions({ screening, votes: reputationVoteRules });
  installTopicPanels({
    above: [duplicatePanel, promotePanel, bookHelperPanel],
    below: [ticketPanel, ideaPanel, pollTopicPanel, casePanel],
    postActions: [flagAction],
    newTopicIntro: [expectationsIntro],
    newTopicAside: [similarQuestionsAside],
  });
  installProfilePanels([memberModerationPanel, verificationPanel]);
}
