import { sql } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Category, Community } from "../db/schema.ts";
import { listVisibleCategories, type LoadedAccess } from "../communities/index.ts";
import { html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { badge, communityCrumbs, emptyState } from "../web/components.ts";
import { topicViewer, visibleTopicsSql } from "./topics.visibility.ts";

export interface CategoryOverview {
  category: Category;
  /** Topics of the category the viewer may read (published ones, as the list shows). */
  topics: number;
  solved: number;
}

/**
 * The categories the viewer may see (champions-only ones only to champions and staff), each with
 * the topics in it they may read and how many of those are solved: one query for all the counts.
 */
export async function categoryOverview(deps: Deps, access: LoadedAccess): Promise<CategoryOverview[]> {
  const [categories, counts] = await Promise.all([
    listVisibleCategories(deps, access),
    deps.db
      .selectFrom("topics")
      .select((eb) => [
        "topics.categoryId",
        eb.fn.countAll<number>().as("topics"),
        sql<number>`sum(case when topics.accepted_reply_id is not null then 1 else 0 end)`.as("solved"),
      ])
      .where("topics.communityId", "=", access.community.id)
      .where("topics.moderationState", "=", "visible")
      .where(visibleTopicsSql(topicViewer(access)))
      .groupBy("topics.categoryId")
      .execute(),
  ]);
  const byCategory = new Map(counts.map((c) => [c.categoryId, c]));
  return categories.map((category) => {
    const count = byCategory.get(category.id);
    return { category, topics: Number(count?.topics ?? 0), solved: Number(count?.solved ?? 0) };
  });
}

/** /c/:slug/categories: what each category is for, with its topics and how many are solved. */
export function categoriesView(
  page: PageContext,
  data: { community: Pick<Community, "slug" | "name">; categories: CategoryOverview[] },
): PageView {
  const { t, tn } = page;
  const base = `/c/${data.community.slug}`;
  return {
    title: `${t("cat.title")} · ${data.community.name}`,
    content: html`${communityCrumbs(page, data.community, { label: t("cat.title") })}
<h1>${t("cat.title")}</h1>
<p class="lead">${t("cat.lead")}</p>
${
  data.categories.length
    ? html`<ul class="category-overview" role="list">${data.categories.map(
        ({ category, topics, solved }) => html`<li class="card category-card">
<h2><a href="${base}?category=${encodeURIComponent(category.slug)}">${category.name}</a>${
          category.championsOnly ? html` ${badge(t("cat.championsOnly"), "accent")}` : ""
        }${category.scope === "private" ? html` ${badge(t("cat.private"), "warning")}` : ""}</h2>
${category.description ? html`<p>${category.description}</p>` : ""}
<p class="category-counts"><span>${tn("cat.topics", topics)}</span> · <span>${tn("cat.solved", solved)}</span></p>
</li>`,
      )}</ul>`
    : emptyState(t("cat.empty"), { href: base, label: t("empty.browseTopics") })
}`,
  };
}
