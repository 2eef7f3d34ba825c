import type { Category } from "../db/schema.ts";
import type { Html } from "../web/html.ts";
import type { FormState } from "../web/forms.ts";
import type { PageContext } from "../web/layout.ts";
import { renderParts } from "../web/layout.ts";
import type { TopicPageData } from "./topics.service.ts";

export type { TopicPageData };

/**
 * What other domains add to the pages of topics, registered by the composition root: panels
 * around the topic (the duplicate banner, "promote to the knowledge base", "book a helper", the
 * staff case), actions under each post (flag), and parts of the new-topic form (what to expect,
 * similar questions while typing). Topics renders them without knowing who they belong to.
 */
type Part<T> = (page: PageContext, data: T, refused?: RefusedPanelForm) => Html | "" | Promise<Html | "">;

/**
 * A panel's form the server refused (a note too long, a ballot with nothing ticked), shown again
 * on the topic page with its messages: the panel whose form has this name fills it in.
 */
export interface RefusedPanelForm {
  name: string;
  form: FormState;
}

export interface PostRef {
  slug: string;
  type: "topic" | "reply";
  id: number;
  moderationState: string;
  abilities: { flag: boolean; hide: boolean };
}

export interface NewTopicData {
  community: { slug: string };
  categories: Category[];
}

export interface TopicPanels {
  /** Above the topic. */
  above: readonly Part<TopicPageData>[];
  /** Between the topic and its replies. */
  below: readonly Part<TopicPageData>[];
  /** Under each post (synchronous: rendered for every reply). */
  postActions: readonly ((page: PageContext, post: PostRef) => Html | "")[];
  /** On the new-topic form, before the fields. */
  newTopicIntro: readonly ((page: PageContext, data: NewTopicData) => Html | "")[];
  /** On the new-topic form, right after the title and body (similar questions). */
  newTopicAside: readonly ((page: PageContext, data: NewTopicData) => Html | "")[];
}

let installed: TopicPanels = { above: [], below: [], postActions: [], newTopicIntro: [], newTopicAside: [] };

export function installTopicPanels(panels: TopicPanels): void {
  installed = panels;
}

export function topicPanels(): TopicPanels {
  return installed;
}

/** The panels of one topic page, rendered together. */
export async function renderTopicPanels(page: PageContext, data: TopicPageData, refused?: RefusedPanelForm) {
  const [above, below] = await Promise.all([
    renderParts(
      page,
      installed.above.map((part) => (p: PageContext) => part(p, data, refused)),
    ),
    renderParts(
      page,
      installed.below.map((part) => (p: PageContext) => part(p, data, refused)),
    ),
  ]);
  return { above, below };
}
