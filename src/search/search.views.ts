import type { Category, Community } from "../db/schema.ts";
import { html, raw, type Html } from "../web/html.ts";
import { communitySlugOf, type PageContext, type PageView } from "../web/layout.ts";
import { inputField, selectField } from "../web/fields.ts";
import { badge, communityCrumbs, emptyState } from "../web/components.ts";
import { categoryLink, kindBadge, statusBadge } from "../topics/index.ts";
import { KINDS, STATUSES } from "../topics/index.ts";
import type { SearchInput } from "./search.schema.ts";
import type { SearchResult } from "./search.service.ts";
import type { SimilarItem } from "./similar.ts";
import { similarScript } from "./search.assets.ts";

const deflectApi = (slug: string) => `/api/v1/communities/${slug}/deflection-events`;

/** The small client script: suggestions while typing, and deflection events for opened links. */
export function searchScriptTag(): Html {
  return html`<script src="${similarScript.url}" defer></script>`;
}

/** The header's search box on every page of a community (a layout part). */
export function headerSearchBox(page: PageContext): Html | "" {
  const slug = communitySlugOf(page);
  if (!slug) return "";
  const q = page.path.startsWith(`/c/${slug}/search`)
    ? (new URL(page.path, "http://x").searchParams.get("q") ?? "")
    : "";
  return searchBox(page, slug, q);
}

/**
 * A compact search form for a community (the site header or a community page). `id` names its
 * field: the header's box is "site-q", so a page with a second box (the knowledge base's) gives
 * that one its own.
 */
export function searchBox(page: PageContext, slug: string, q = "", id = "site-q"): Html {
  return html`<form class="search-box" role="search" method="get" action="/c/${slug}/search">
<label for="${id}" class="sr-only">${page.t("search.box")}</label>
<input type="search" id="${id}" name="q" value="${q}" maxlength="300" autocomplete="off"
  placeholder="${page.t("search.box")}">
<button type="submit" class="button small">${page.t("search.submit")}</button>
</form>`;
}

/** Links to a result or suggestion carry what the client script reports when they are opened, and the list's token. */
function deflectAttrs(
  slug: string,
  type: "result_opened" | "suggestion_opened",
  item: Pick<SearchResult, "type" | "topic" | "article">,
  token: string | null,
): Html {
  const target =
    item.type === "article" && item.article
      ? html` data-article-id="${item.article.id}"`
      : item.topic
        ? html` data-topic-id="${item.topic.id}"`
        : html``;
  return html` data-deflect="${type}" data-deflect-api="${deflectApi(slug)}"${target}${
    token ? html` data-deflect-token="${token}"` : ""
  }`;
}

function resultRow(page: PageContext, slug: string, result: SearchResult, token: string | null): Html {
  const { t, tn } = page;
  const topic = result.topic;
  const isArticle = result.type === "article" && result.article;
  const title = isArticle ? result.article!.title : topic!.title;
  const url = isArticle ? result.article!.url : topic!.url;
  const category = isArticle ? result.article!.category : (topic?.category ?? null);
  return html`<li class="topic-row search-result">
<div class="summary">
<h3><a href="${url}"${deflectAttrs(slug, "result_opened", result, token)}>${title}</a></h3>
${result.snippet ? html`<p class="snippet">${raw(result.snippet)}</p>` : ""}
<div class="meta">${
    isArticle
      ? badge(t("search.article"), "accent")
      : html`${kindBadge(page, topic!.kind)} ${statusBadge(page, topic!.status)}`
  }
${!isArticle && topic ? html`<span class="stat">${tn("topic.replies", topic.replyCount)}</span>` : ""}
${category ? categoryLink(slug, category) : ""}
${result.duplicateOf ? badge(t("search.duplicate"), "warning") : ""}</div>
</div>
</li>`;
}

export interface SearchPageData {
  community: Pick<Community, "slug" | "name">;
  categories: Category[];
  input: SearchInput;
  results: SearchResult[];
  nextCursor: string | null;
  match: "all" | "any" | null;
  abilities: { post: boolean };
  deflectionToken: string | null;
}

function filtersForm(page: PageContext, data: SearchPageData): Html {
  const { t } = page;
  const { input } = data;
  const form = {
    values: {
      q: input.q,
      kind: input.kind ?? "",
      status: input.status ?? "",
      category: input.category ?? "",
      tag: input.tag ?? "",
    },
    errors: {},
  };
  const any = (label: string) => ({ value: "", label });
  return html`<form class="filters search-form" role="search" method="get" action="/c/${data.community.slug}/search">
${inputField({ form, id: "q", name: "q", type: "search", label: t("search.label"), maxlength: 300 })}
<fieldset class="search-filters"><legend>${t("search.filters")}</legend>
${selectField({
  form,
  id: "s-kind",
  name: "kind",
  label: t("list.kind"),
  options: [any(t("list.anyKind")), ...KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))],
})}
${selectField({
  form,
  id: "s-status",
  name: "status",
  label: t("list.status"),
  options: [any(t("list.anyStatus")), ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))],
})}
${
  data.categories.length
    ? selectField({
        form,
        id: "s-category",
        name: "category",
        label: t("list.category"),
        options: [any(t("list.anyCategory")), ...data.categories.map((c) => ({ value: c.slug, label: c.name }))],
      })
    : ""
}
${inputField({ form, id: "s-tag", name: "tag", label: t("list.tag"), maxlength: 30 })}
</fieldset>
<div class="filter-actions"><button type="submit" class="button primary">${t("search.submit")}</button></div>
</form>`;
}

/** The next page's address: the same query and filters with the cursor. */
function pageQuery(input: SearchInput, cursor: string): string {
  const params = new URLSearchParams({ q: input.q });
  for (const name of ["kind", "status", "category", "tag"] as const) if (input[name]) params.set(name, input[name]!);
  params.set("cursor", cursor);
  return `?${params}`;
}

/** /c/:slug/search: a GET form with filters, results with snippets, status and replies, and "more" pagination. */
export function searchPageView(page: PageContext, data: SearchPageData): PageView {
  const { t } = page;
  const { community, input } = data;
  const base = `/c/${community.slug}`;
  const searched = data.match !== null;
  const heading = searched ? t("search.results", { q: input.q.slice(0, 100) }) : t("search.title");
  const ask = data.abilities.post ? { href: `${base}/new`, label: t("search.ask") } : null;
  return {
    title: searched ? `${input.q.slice(0, 60)} · ${t("search.title")}` : t("search.title"),
    content: html`${communityCrumbs(page, community, { label: t("search.title") })}
<h1>${t("search.heading", { community: community.name })}</h1>
${filtersForm(page, data)}
<section aria-labelledby="results-title"${
      data.deflectionToken
        ? html` data-deflect-shown="search_shown" data-deflect-api="${deflectApi(
            community.slug,
          )}" data-deflect-token="${data.deflectionToken}"`
        : ""
    }>
<h2 id="results-title">${heading}</h2>
${
  !searched
    ? html`<p class="empty">${t("search.intro")}</p>`
    : data.results.length
      ? html`${data.match === "any" ? html`<p class="hint">${t("search.someWords")}</p>` : ""}<ol
        class="topic-list search-results"
          role="list">${data.results.map((r) => resultRow(page, community.slug, r, data.deflectionToken))}</ol>`
      : emptyState(t("search.none", { q: input.q.slice(0, 100) }), ask)
}
${
  data.nextCursor
    ? html`<p class="more"><a class="button" href="${base}/search${pageQuery(input, data.nextCursor)}"
  rel="next">${t("search.more")}</a></p>`
    : ""
}
</section>
${searchScriptTag()}`,
  };
}

/** One suggestion, the same markup the client script builds. */
function suggestionItem(page: PageContext, slug: string, item: SimilarItem): Html {
  const isArticle = item.type === "article" && item.article;
  const title = isArticle ? item.article!.title : item.topic!.title;
  const url = isArticle ? item.article!.url : item.topic!.url;
  return html`<li><a href="${url}"${deflectAttrs(slug, "suggestion_opened", item, null)}>${title}</a> ${
    isArticle ? badge(page.t("search.article"), "accent") : statusBadge(page, item.topic!.status)
  }</li>`;
}

/**
 * The similar-questions box of the new-topic form. Put it inside the form, after the title field,
 * with searchScriptTag() on the page: the script fills it while the member types (debounced),
 * adds a hidden visitId field to the form, and reports suggestions shown and opened. Without
 * JavaScript it shows `items` if given (e.g. when the form comes back with errors), else nothing.
 */
export function similarSuggestions(page: PageContext, slug: string, items: SimilarItem[] = []): Html {
  const { t } = page;
  const labels = {
    heading: t("similar.heading"),
    intro: t("similar.intro"),
    article: t("search.article"),
    solved: t("status.solved"),
    answered: t("status.answered"),
    open: t("status.open"),
  };
  return html`<div class="similar-suggestions" data-similar data-similar-api="/api/v1/communities/${slug}/similar"
    data-deflect-api="${deflectApi(slug)}" data-labels="${JSON.stringify(labels)}" aria-live="polite">${
      items.length
        ? html`<section class="card" aria-labelledby="similar-title"><h2
        id="similar-title">${labels.heading}</h2><p>${labels.intro}</p><ol>${items.map((item) =>
          suggestionItem(page, slug, item),
        )}</ol></section>`
        : ""
    }</div>`;
}
