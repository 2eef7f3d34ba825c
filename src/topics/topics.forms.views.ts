import type { Category } from "../db/schema.ts";
import { LIMITS } from "../core/config.ts";
import { html, raw, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { FormState } from "../web/forms.ts";
import { formAlert, inputField, radioGroup, selectField } from "../web/fields.ts";
import { editorField } from "../web/editor.ts";
import { communityCrumbs, timeAgo, type CommunityRef } from "../web/components.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import { KINDS } from "./topics.schema.ts";
import { markdownHint } from "./topics.page.views.ts";
import { tagLinks } from "./topics.views.ts";
import { topicPanels } from "./topics.panels.ts";
import { topicBase } from "./topics.urls.ts";

function formPage(
  page: PageContext,
  p: {
    community: CommunityRef;
    parent?: { label: string; href: string };
    title: string;
    form: FormState;
    labels: Record<string, string>;
    action: string;
    fields: Html;
    submit: string;
    cancel: string;
  },
): PageView {
  const { t } = page;
  return {
    title: p.title,
    content: html`${communityCrumbs(page, p.community, ...(p.parent ? [p.parent] : []), { label: p.title })}
<section class="card form-page" aria-labelledby="form-title">
<h1 id="form-title">${p.title}</h1>
${formAlert(page, p.form, p.labels)}
<form method="post" action="${p.action}" enctype="multipart/form-data" novalidate>${page.csrfField()}
${p.fields}
<div class="actions"><button type="submit" class="button primary">${p.submit}</button> <a
  href="${p.cancel}">${t("form.cancel")}</a></div>
</form>
</section>`,
  };
}

function topicLabels(page: PageContext) {
  const { t } = page;
  return {
    kind: t("topic.kind"),
    title: t("topic.title"),
    body: t("topic.body"),
    categoryId: t("topic.category"),
    tags: t("topic.tagsField"),
    image: t("editor.attach"),
  };
}

/** `afterTitle`: what follows the title field, e.g. the similar-question suggestions. */
function titleBodyTags(
  page: PageContext,
  form: FormState,
  where: { community: string; draft: string },
  afterTitle: Html | string = "",
): Html {
  const labels = topicLabels(page);
  return html`${inputField({
    form,
    name: "title",
    label: labels.title,
    hint: page.t("topic.titleHint", { min: LIMITS.titleMin, max: LIMITS.titleMax }),
    maxlength: LIMITS.titleMax,
    required: true,
  })}
${afterTitle}
${editorField(page, { form, label: labels.body, hint: markdownHint(page), ...where })}
${inputField({ form, name: "tags", label: labels.tags, hint: page.t("topic.tagsHint", { max: LIMITS.tagsMax }) })}`;
}

export function newTopicView(
  page: PageContext,
  community: CommunityRef,
  categories: Category[],
  form: FormState,
): PageView {
  const { t } = page;
  const state = { ...form, values: { kind: "question", ...form.values } };
  // What to expect in each category, and similar questions while typing (other domains' parts).
  const panels = topicPanels();
  const fields = html`${radioGroup({
    form: state,
    name: "kind",
    label: t("topic.kind"),
    options: KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })),
    required: true,
  })}
${
  categories.length
    ? selectField({
        form: state,
        name: "categoryId",
        label: t("topic.category"),
        options: [
          { value: "", label: t("topic.noCategory") },
          ...categories.map((c) => ({ value: String(c.id), label: c.name })),
        ],
      })
    : ""
}
${panels.newTopicIntro.map((part) => part(page, { community, categories }))}
${titleBodyTags(
  page,
  state,
  { community: community.slug, draft: "new" },
  html`${panels.newTopicAside.map((part) => part(page, { community, categories }))}`,
)}`;
  return formPage(page, {
    community,
    title: t("topic.new"),
    form,
    labels: topicLabels(page),
    action: `/c/${community.slug}/new`,
    fields,
    submit: t("topic.submit"),
    cancel: `/c/${community.slug}`,
  });
}

/** The tags field alone, with what it leaves unchanged: for members who may retag but not edit. */
function tagsOnlyFields(page: PageContext, form: FormState): Html {
  return html`<p class="lead">${page.t("topic.editTagsLead")}</p>
${inputField({
  form,
  name: "tags",
  label: topicLabels(page).tags,
  hint: page.t("topic.tagsHint", { max: LIMITS.tagsMax }),
})}`;
}

/**
 * The version the edit starts from, sent back with it, so an edit made meanwhile by someone else is not
 * silently undone: the post as the member opened it (`current` on the first showing), kept through a
 * form sent back for another reason (too short, a preview). Only the conflict refusal (post.editConflict),
 * which tells of that edit, offers the current version: sending again then replaces it, knowingly.
 */
function editBase(form: FormState, current: string | null): Html {
  const conflict = form.refusedWith === "post.editConflict";
  const base = conflict ? current : (form.values.baseEditedAt ?? current);
  return html`<input type="hidden" name="baseEditedAt" value="${base ?? ""}">`;
}

/** `tagsOnly`: the viewer may change only the tags (the retag privilege), so the form shows and posts only them. */
export function editTopicView(
  page: PageContext,
  community: CommunityRef,
  topic: { id: number; community: string; title: string; url: string; editedAt: string | null },
  form: FormState,
  tagsOnly = false,
): PageView {
  const { t } = page;
  return formPage(page, {
    community,
    parent: { label: topic.title, href: topic.url },
    title: tagsOnly ? t("topic.editTags") : t("topic.edit"),
    form,
    labels: tagsOnly ? { tags: topicLabels(page).tags } : topicLabels(page),
    action: `${topicBase(topic)}/edit`,
    fields: html`${
      tagsOnly
        ? tagsOnlyFields(page, form)
        : titleBodyTags(page, form, { community: community.slug, draft: `edit-t${topic.id}` })
    }${editBase(form, topic.editedAt)}`,
    submit: t("form.save"),
    cancel: topic.url,
  });
}

export function editReplyView(
  page: PageContext,
  community: CommunityRef,
  topic: { title: string; url: string },
  reply: { id: number; editedAt: string | null },
  form: FormState,
): PageView {
  const { t } = page;
  return formPage(page, {
    community,
    parent: { label: topic.title, href: topic.url },
    title: t("reply.edit"),
    form,
    labels: { body: t("reply.body"), image: t("editor.attach") },
    action: `/c/${community.slug}/r/${reply.id}/edit`,
    fields: html`${editorField(page, {
      form,
      label: t("reply.body"),
      hint: markdownHint(page),
      community: community.slug,
      draft: `edit-r${reply.id}`,
    })}${editBase(form, reply.editedAt)}`,
    submit: t("form.save"),
    cancel: `${topic.url}#reply-${reply.id}`,
  });
}

export interface Version {
  version: number;
  title?: string | null;
  tags?: string[];
  body: string;
  editor: { name: string };
  createdAt: string;
  redactedAt: string | null;
}

/** A moderator's form under a past version: erase it, with a reason for the audit log. */
function redactForm(page: PageContext, action: string, version: number): Html {
  const { t } = page;
  return html`<form method="post" action="${action}" class="grid-form">${page.csrfField()}
<div class="field"><label for="redact-reason-${version}">${t("history.redactReason")}</label><input type="text"
  id="redact-reason-${version}" name="reason" minlength="3" maxlength="500" required></div>
<div class="actions"><button type="submit" class="button danger">${t("history.redact")}</button></div></form>`;
}

/**
 * Every version of a post, newest first, rendered the way the post itself is; a redacted version
 * says so instead. `redactBase` (moderators only) is where each past version's redact form posts.
 */
export function historyView(
  page: PageContext,
  p: {
    community: CommunityRef;
    topic: { title: string; url: string };
    heading: string;
    versions: Version[];
    redactBase: string | null;
  },
): PageView {
  const { t } = page;
  const versions = [...p.versions].reverse();
  return {
    title: p.heading,
    content: html`${communityCrumbs(
      page,
      p.community,
      { label: p.topic.title, href: p.topic.url },
      { label: p.heading },
    )}
<h1>${p.heading}</h1>
<ol class="history" role="list">${versions.map(
      (v) => html`<li><article class="card version" aria-labelledby="v${v.version}">
<h2 id="v${v.version}">${t("history.version", { n: v.version })}${
        v.version === p.versions.length
          ? html` <span
  class="badge info">${t("history.current")}</span>`
          : ""
      }</h2>
<p class="byline">${page.th("post.byline", {
        name: html`<span
  class="author">${v.editor.name}</span>`,
        time: timeAgo(page, v.createdAt),
      })}</p>
${
  v.redactedAt
    ? html`<p class="redacted">${page.th("history.redacted", { time: timeAgo(page, v.redactedAt) })}</p>`
    : html`${v.title ? html`<p class="version-title">${v.title}</p>` : ""}
<div class="prose">${raw(renderMarkdown(v.body))}</div>
${v.tags?.length ? tagLinks(page, p.community.slug, v.tags) : ""}`
}
${
  p.redactBase && !v.redactedAt && v.version < p.versions.length
    ? redactForm(page, `${p.redactBase}/${v.version}/redact`, v.version)
    : ""
}
</article></li>`,
    )}</ol>
<p><a href="${p.topic.url}">${t("history.back")}</a></p>`,
  };
}
