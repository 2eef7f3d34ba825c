import { lacks, type RefusedPanelForm, type TopicFact, type TopicPageData, topicBase } from "../topics/index.ts";
import { topicTag } from "../core/page-cache.ts";
import type { Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import { topicPoll } from "./polls.service.ts";
import { addPollLink, POLL_BALLOT_FORM, pollPanel } from "./polls.views.ts";

/** A topic's poll (null: it has none). */
export const pollFact: TopicFact = {
  name: "poll",
  select: (eb) => eb.selectFrom("polls").select("polls.id").whereRef("polls.topicId", "=", "topics.id"),
};

/** What polls add to a topic page: its poll, or for its author and staff the way to add one. */
export async function pollTopicPanel(
  page: PageContext,
  data: TopicPageData,
  refused?: RefusedPanelForm,
): Promise<Html | ""> {
  const { poll, abilities } = await topicPoll(
    page.deps,
    { id: data.topic.id, authorId: data.topic.author.id, locked: data.topic.locked },
    data.access,
    !lacks(data.facts, pollFact),
  );
  const form = refused?.name === POLL_BALLOT_FORM ? refused.form : undefined;
  // A poll shown open closes by the clock, not by a write: its page is not served from the cache after that.
  if (poll?.closesAt && !poll.closed)
    page.deps.pageCache?.expireAt(topicTag(data.topic.id), Date.parse(poll.closesAt), page.now);
  if (poll) return pollPanel(page, poll, `/c/${data.topic.community}/polls/${poll.id}/vote`, form);
  return abilities.create ? addPollLink(page, topicBase(data.topic)) : "";
}
