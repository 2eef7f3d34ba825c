import type { TopicPageData } from "../topics/index.ts";
import { can } from "../access/privileges.ts";
import type { Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import { ideaProgress } from "./ideas.service.ts";
import { ideaProgressPanel } from "./ideas.views.ts";

/** What ideas add to a topic page: an idea's status, its timeline and the staff form (a topic panel). */
export async function ideaPanel(page: PageContext, data: TopicPageData): Promise<Html | ""> {
  if (data.topic.kind !== "idea") return "";
  const progress = await ideaProgress(page.deps, data.topic.id);
  return ideaProgressPanel(page, data, progress, can(data.access, "idea.setStatus"));
}
