import { installTopicExtensions } from "../topics/topics.extensions.js";
import { installTopicPanels } from "../topics/topics.panels.js";
import { moderationScreening } from "../moderation/moderation.screening.js";
import { flagAction, memberModerationPanel } from "../moderation/moderation.views.js";
import { installProfilePanels } from "../reputation/reputation.panels.js";
import { reputationVoteRules } from "../reputation/reputation.votes.js";
import { duplicatePanel, promotePanel, similarQuestionsAside } from "../search/search.panels.js";
import { bookHelperPanel } from "../marketplace/topic-link.js";
import { casePanel, expectationsIntro } from "../escalation/scope.views.js";
/** What other domains decide inside the use cases of topics, and add to its pages. */
export function installExtensions() {
    installTopicExtensions({ screening: moderationScreening, votes: reputationVoteRules });
    installTopicPanels({
        above: [duplicatePanel, promotePanel, bookHelperPanel],
        below: [casePanel],
        postActions: [flagAction],
        newTopicIntro: [expectationsIntro],
        newTopicAside: [similarQuestionsAside],
    });
    installProfilePanels([memberModerationPanel]);
}
