import { type TopicPageData, topicBase } from "../topics/index.ts";
import { can } from "../access/privileges.ts";
import type { Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import { pollOfTopic } from "./polls.service.ts";
import { addPollLink, pollPanel } from "./polls.views.ts";

/** What polls add to a topic page: its poll, or for its author and staff the way to add one. */
export async function pollTopicPanel(page: PageContext, data: TopicPageData): Promise<Html | ""> {
  const poll = await pollOfTopic(page.deps, data.topic.id, data.access);
  if (poll) return pollPanel(page, poll, `/c/${data.topic.community}/polls/${poll.id}/vote`);
  return can(data.access, "poll.create", data.topic.author.id) ? addPollLink(page, topicBase(data.topic)) : "";
}
