import { LIMITS } from "../core/config.js";
import { html, raw } from "../web/html.js";
import { formAlert, inputField, radioGroup, selectField, textareaField } from "../web/fields.js";
import { breadcrumbs, timeAgo } from "../web/components.js";
import { renderMarkdown } from "../lib/markdown.js";
import { KINDS } from "./topics.schema.js";
import { markdownHint } from "./topics.page.views.js";
import { tagLinks } from "./topics.views.js";
import { topicPanels } from "./topics.panels.js";
function formPage(page, p) {
    const { t } = page;
    const trail = [
        { label: t("home.title"), href: "/" },
        { label: p.community.name, href: `/c/${p.community.slug}` },
        ...(p.parent ? [p.parent] : []),
        { label: p.title },
    ];
    return {
        title: p.title,
        content: html `${breadcrumbs(page, trail)}
<section class="card form-page" aria-labelledby="form-title">
<h1 id="form-title">${p.title}</h1>
${formAlert(page, p.form, p.labels)}
<form method="post" action="${p.action}" novalidate>${page.csrfField()}
${p.fields}
<div class="actions"><button type="submit" class="button primary">${p.submit}</button> <a href="${p.cancel}">${t("form.cancel")}</a></div>
</form>
</section>`,
    };
}
function topicLabels(page) {
    const { t } = page;
    return {
        kind: t("topic.kind"),
        title: t("topic.title"),
        body: t("topic.body"),
        categoryId: t("topic.category"),
        tags: t("topic.tagsField"),
    };
}
/** `afterTitle`: what follows the title field, e.g. the similar-question suggestions. */
function titleBodyTags(page, form, afterTitle = "") {
    const labels = topicLabels(page);
    return html `${inputField({ form, name: "title", label: labels.title, hint: page.t("topic.titleHint", { min: LIMITS.titleMin, max: LIMITS.titleMax }), maxlength: LIMITS.titleMax, required: true })}
${afterTitle}
${textareaField({ form, name: "body", label: labels.body, hint: markdownHint(page), rows: 10, maxlength: LIMITS.bodyMax, required: true })}
${inputField({ form, name: "tags", label: labels.tags, hint: page.t("topic.tagsHint", { max: LIMITS.tagsMax }) })}`;
}
export function newTopicView(page, community, categories, form) {
    const { t } = page;
    const state = { ...form, values: { kind: "question", ...form.values } };
    // What to expect in each category, and similar questions while typing (other domains' parts).
    const panels = topicPanels();
    const fields = html `${radioGroup({ form: state, name: "kind", label: t("topic.kind"), options: KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })), required: true })}
${categories.length ? selectField({ form: state, name: "categoryId", label: t("topic.category"), options: [{ value: "", label: t("topic.noCategory") }, ...categories.map((c) => ({ value: String(c.id), label: c.name }))] }) : ""}
${panels.newTopicIntro.map((part) => part(page, { community, categories }))}
${titleBodyTags(page, state, html `${panels.newTopicAside.map((part) => part(page, { community, categories }))}`)}`;
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
export function editTopicView(page, community, topic, form) {
    const { t } = page;
    return formPage(page, {
        community,
        parent: { label: topic.title, href: topic.url },
        title: t("topic.edit"),
        form,
        labels: topicLabels(page),
        action: `${topic.url}/edit`,
        fields: titleBodyTags(page, form),
        submit: t("form.save"),
        cancel: topic.url,
    });
}
export function editReplyView(page, community, topic, replyId, form) {
    const { t } = page;
    return formPage(page, {
        community,
        parent: { label: topic.title, href: topic.url },
        title: t("reply.edit"),
        form,
        labels: { body: t("reply.body") },
        action: `/c/${community.slug}/r/${replyId}/edit`,
        fields: textareaField({
            form,
            name: "body",
            label: t("reply.body"),
            hint: markdownHint(page),
            rows: 10,
            maxlength: LIMITS.bodyMax,
            required: true,
        }),
        submit: t("form.save"),
        cancel: `${topic.url}#reply-${replyId}`,
    });
}
/** Every version of a post, newest first, rendered the way the post itself is. */
export function historyView(page, p) {
    const { t } = page;
    const versions = [...p.versions].reverse();
    return {
        title: p.heading,
        content: html `${breadcrumbs(page, [{ label: t("home.title"), href: "/" }, { label: p.community.name, href: `/c/${p.community.slug}` }, { label: p.topic.title, href: p.topic.url }, { label: p.heading }])}
<h1>${p.heading}</h1>
<ol class="history" role="list">${versions.map((v) => html `<li><article class="card version" aria-labelledby="v${v.version}">
<h2 id="v${v.version}">${t("history.version", { n: v.version })}${v.version === p.versions.length ? html ` <span class="badge info">${t("history.current")}</span>` : ""}</h2>
<p class="byline">${page.th("post.byline", { name: html `<span class="author">${v.editor.name}</span>`, time: timeAgo(page, v.createdAt) })}</p>
${v.title ? html `<p class="version-title">${v.title}</p>` : ""}
<div class="prose">${raw(renderMarkdown(v.body))}</div>
${v.tags?.length ? tagLinks(page, p.community.slug, v.tags) : ""}
</article></li>`)}</ol>
<p><a href="${p.topic.url}">${t("history.back")}</a></p>`,
    };
}
