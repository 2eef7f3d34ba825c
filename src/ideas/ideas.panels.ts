import type { RefusedPanelForm, TopicPageData } from "../topics/index.ts";
import { can } from "../access/privileges.ts";
import type { Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import { ideaProgress } from "./ideas.service.ts";
import { ideaProgressPanel } from "./ideas.views.ts";

/** The name of the staff's status form, when it is shown again refused. */
export const IDEA_STATUS_FORM = "idea-status";

/** What ideas add to a topic page: an idea's status, its timeline and the staff form (a topic panel). */
export async function ideaPanel(
  page: PageContext,
  data: TopicPageData,
  refused?: RefusedPanelForm,
): Promise<Html | ""> {
  if (data.topic.kind !== "idea") return "";
  const progress = await ideaProgress(page.deps, data.topic.id);
  const form = refused?.name === IDEA_STATUS_FORM ? refused.form : undefined;
  return ideaProgressPanel(page, data, progress, can(data.access, "idea.setStatus"), form);
}
