import type { Category } from "../db/schema.ts";
import { LIMITS } from "../core/config.ts";
import { html, raw } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { FormState } from "../web/forms.ts";
import { formAlert, inputField, selectField, textareaField } from "../web/fields.ts";
import { badge, communityCrumbs, timeAgo, type CommunityRef, emptyState } from "../web/components.ts";
import { categoryLink } from "../topics/index.ts";
import type { PublicArticle } from "./articles.service.ts";
import { searchBox } from "./search.views.ts";

/** The knowledge base's own page, above each article and form. */
const kbCrumb = (page: PageContext, community: CommunityRef) => ({
  label: page.t("kb.title"),
  href: `/c/${community.slug}/kb`,
});

/** /c/:slug/kb: the community's articles, newest first. */
export function articleListView(
  page: PageContext,
  data: {
    community: CommunityRef;
    articles: PublicArticle[];
    nextCursor: number | null;
    abilities: { write: boolean };
  },
): PageView {
  const { t } = page;
  const base = `/c/${data.community.slug}/kb`;
  const write = data.abilities.write ? html`<a class="button primary" href="${base}/new">${t("kb.new")}</a>` : "";
  return {
    title: `${t("kb.title")} · ${data.community.name}`,
    content: html`${communityCrumbs(page, data.community, { label: t("kb.title") })}
<div class="page-head">
<div><h1>${t("kb.title")}</h1><p class="lead">${t("kb.intro")}</p></div>
<div class="head-actions">${write}</div>
</div>
${searchBox(page, data.community.slug, "", "kb-q")}
${
  data.articles.length
    ? html`<ol class="topic-list" role="list">${data.articles.map(
        (a) => html`<li class="topic-row"><div class="summary"><h2><a href="${a.url}">${a.title}</a></h2>
<div class="meta">${badge(t("search.article"), "accent")} ${categoryLink(data.community.slug, a.category)} <span
  class="byline">${page.th("kb.updated", { time: timeAgo(page, a.updatedAt) })}</span></div></div></li>`,
      )}</ol>`
    : emptyState(t("kb.empty"), data.abilities.write ? { href: `${base}/new`, label: t("kb.new") } : null)
}
${
  data.nextCursor
    ? html`<p class="more"><a class="button" href="${base}?cursor=${data.nextCursor}"
  rel="next">${t("kb.more")}</a></p>`
    : ""
}`,
  };
}

/** /c/:slug/kb/:id: one article, its Markdown rendered by the same renderer as posts. */
export function articleView(
  page: PageContext,
  data: { community: CommunityRef; article: PublicArticle; canEdit: boolean },
): PageView {
  const { t } = page;
  const { article } = data;
  return {
    title: article.title,
    content: html`${communityCrumbs(page, data.community, kbCrumb(page, data.community), { label: article.title })}
<article class="card article" aria-labelledby="article-title">
<div class="page-head"><h1 id="article-title">${article.title}</h1>${
      data.canEdit
        ? html`<a class="button"
  href="${article.url}/edit">${t("kb.edit")}</a>`
        : ""
    }</div>
<div class="meta">${badge(t("search.article"), "accent")} ${categoryLink(data.community.slug, article.category)} <span
  class="byline">${page.th("kb.updated", { time: timeAgo(page, article.updatedAt) })}</span></div>
<div class="prose">${raw(article.bodyHtml)}</div>
${
  article.sourceTopicUrl
    ? html`<p class="hint">${page.th("kb.fromTopic", {
        link: html`<a
  href="${article.sourceTopicUrl}">#${article.sourceTopicId}</a>`,
      })}</p>`
    : ""
}
</article>`,
  };
}

export function articleLabels(page: PageContext): Record<string, string> {
  const { t } = page;
  return {
    title: t("kb.field.title"),
    body: t("kb.field.body"),
    categoryId: t("kb.field.category"),
    sourceTopicId: t("kb.field.source"),
  };
}

/** The staff form: write an article, or promote a solved topic (its id), or edit an article. */
export function articleFormView(
  page: PageContext,
  data: { community: CommunityRef; categories: Category[]; form: FormState; article?: PublicArticle },
): PageView {
  const { t } = page;
  const labels = articleLabels(page);
  const heading = data.article ? t("kb.edit") : t("kb.new");
  const action = data.article ? `${data.article.url}/edit` : `/c/${data.community.slug}/kb/new`;
  const trail = [
    kbCrumb(page, data.community),
    ...(data.article ? [{ label: data.article.title, href: data.article.url }] : []),
    { label: heading },
  ];
  return {
    title: heading,
    content: html`${communityCrumbs(page, data.community, ...trail)}
<section class="card form-page" aria-labelledby="form-title">
<h1 id="form-title">${heading}</h1>
${formAlert(page, data.form, labels)}
<form method="post" action="${action}" novalidate>${page.csrfField()}
${
  data.article
    ? ""
    : inputField({
        form: data.form,
        name: "sourceTopicId",
        label: labels.sourceTopicId,
        hint: t("kb.field.sourceHint"),
        type: "number",
      })
}
${inputField({ form: data.form, name: "title", label: labels.title, maxlength: LIMITS.titleMax })}
${textareaField({ form: data.form, name: "body", label: labels.body, rows: 14, maxlength: LIMITS.bodyMax })}
${
  data.categories.length
    ? selectField({
        form: data.form,
        name: "categoryId",
        label: labels.categoryId,
        options: [
          { value: "", label: t("kb.noCategory") },
          ...data.categories.map((c) => ({ value: String(c.id), label: c.name })),
        ],
      })
    : ""
}
<div class="actions"><button type="submit"
  class="button primary">${data.article ? t("form.save") : t("kb.submit")}</button> <a
    href="${data.article?.url ?? `/c/${data.community.slug}/kb`}">${t("form.cancel")}</a></div>
</form>
</section>`,
  };
}
