import { LIMITS } from "../core/config.js";
import { html, raw } from "../web/html.js";
import { blankForm } from "../web/forms.js";
import { formAlert, textareaField } from "../web/fields.js";
import { actionButton, authorName, badge, breadcrumbs, suspensionNotice, timeAgo } from "../web/components.js";
import { loginUrl } from "../web/page.js";
import { categoryLink, hideButton, kindBadge, lockedBadge, lockedNotice, stateBadge, statusBadge, tagLinks, voteWidget, } from "./topics.views.js";
import { topicPanels } from "./topics.panels.js";
export function markdownHint(page) {
    return html `${page.t("form.markdownHint")} <code>**${page.t("form.bold")}**</code> <code>*${page.t("form.italic")}*</code> <code>[${page.t("form.link")}](https://…)</code> <code>- ${page.t("form.list")}</code>`;
}
function byline(page, slug, author, createdAt, edited) {
    return html `<p class="byline">${page.th("post.byline", { name: authorName(page, slug, author), time: timeAgo(page, createdAt) })}${edited.at
        ? html ` · <a href="${edited.history}">${page.th("post.edited", { time: timeAgo(page, edited.at) })}</a>`
        : ""}</p>`;
}
function followWidget(page, topic) {
    const { t, tn } = page;
    if (!topic.abilities.follow)
        return topic.followerCount ? html `<p class="follow-count">${tn("follow.count", topic.followerCount)}</p>` : html ``;
    return html `<form class="inline-form" method="post" action="${topic.url}/${topic.following ? "unfollow" : "follow"}" data-follow="${topic.url}/follow" data-unfollow="${topic.url}/unfollow" data-api="/api/v1/topics/${topic.id}/follow">${page.csrfField()}<button type="submit" class="button toggle" aria-pressed="${String(topic.following)}" title="${t("follow.hint")}">${t("follow.button")} <span class="count" data-count>${topic.followerCount}</span></button></form>`;
}
/** Hide or restore (moderators), then what other domains offer on a post (flag it). */
function postTools(page, slug, post) {
    const ref = { slug, ...post };
    return html `${post.abilities.hide ? hideButton(page, { ...ref, state: post.moderationState }) : ""}${topicPanels().postActions.map((action) => action(page, ref))}`;
}
/** On a topic: its category's expectation, and who sees and answers it when staff do. */
function topicScopeNotice(page, scope, expectation) {
    const { t } = page;
    const who = scope === "private" ? t("scope.privateTopic") : scope === "staff_only" ? t("scope.staffOnlyTopic") : "";
    if (!who && !expectation)
        return html ``;
    return html `<p class="notice expectation" role="note">${[who, expectation].filter(Boolean).join(" ")}</p>`;
}
function topicArticle(page, topic) {
    const { t } = page;
    const moderate = topic.abilities.lock || topic.abilities.move || topic.abilities.merge;
    return html `<article class="post topic${topic.moderationState === "visible" ? "" : " held"}" aria-labelledby="topic-title">
<header class="post-head">
<div class="meta">${kindBadge(page, topic.kind)} ${statusBadge(page, topic.status)}${lockedBadge(page, topic)} ${stateBadge(page, topic.moderationState)} ${categoryLink(topic.community, topic.category)}</div>
<h1 id="topic-title">${topic.title}</h1>
${byline(page, topic.community, topic.author, topic.createdAt, { at: topic.editedAt, history: `${topic.url}/history` })}
${topicScopeNotice(page, topic.scope, topic.expectation)}
</header>
<div class="post-main">
${voteWidget(page, { action: `${topic.url}/vote`, api: `/api/v1/topics/${topic.id}/vote`, score: topic.score, myVote: topic.myVote, allowed: topic.abilities.vote })}
<div class="post-content">
<div class="prose">${raw(topic.bodyHtml)}</div>
${tagLinks(page, topic.community, topic.tags)}
<div class="post-actions">${followWidget(page, topic)}${topic.abilities.edit ? html `<a class="button subtle" href="${topic.url}/edit">${t("post.edit")}</a>` : ""}${moderate ? html `<a class="button subtle" href="${topic.url}/moderate">${t("mod.moderate")}</a>` : ""}${postTools(page, topic.community, { type: "topic", ...topic })}</div>
</div>
</div>
</article>`;
}
function comments(page, topic, reply, failed) {
    const { t } = page;
    const prefix = `c${reply.id}-`;
    const form = failed ?? blankForm();
    const list = reply.comments.length
        ? html `<ul class="comment-list" role="list">${reply.comments.map((c) => html `<li class="comment" id="comment-${c.id}">${stateBadge(page, c.moderationState)}<div class="prose">${raw(c.bodyHtml)}</div><p class="byline">${page.th("post.byline", {
            name: authorName(page, topic.community, c.author),
            time: timeAgo(page, c.createdAt),
        })}</p></li>`)}</ul>`
        : "";
    const add = reply.abilities.comment
        ? html `<details class="comment-form"${failed ? html ` open` : ""}><summary>${t("comment.add")}</summary>
${formAlert(page, form, { body: t("comment.body") }, prefix)}
<form method="post" action="/c/${topic.community}/r/${reply.id}/comment" novalidate>${page.csrfField()}
${textareaField({ form, id: `${prefix}body`, name: "body", label: t("comment.body"), rows: 2, maxlength: LIMITS.commentMax, required: true })}
<button type="submit" class="button small">${t("comment.submit")}</button>
</form></details>`
        : "";
    return list || add ? html `<div class="comments">${list}${add}</div>` : html ``;
}
function replyArticle(page, topic, reply, forms) {
    const { t } = page;
    const base = `/c/${topic.community}/r/${reply.id}`;
    const accept = reply.abilities.accept
        ? reply.accepted
            ? actionButton(page, { action: `${topic.url}/unaccept`, label: t("accept.undo"), className: "button subtle" })
            : actionButton(page, {
                action: `${topic.url}/accept`,
                label: t("accept.button"),
                className: "button success",
                fields: { replyId: String(reply.id) },
            })
        : "";
    const flags = [
        reply.accepted ? badge(`✓ ${t("reply.accepted")}`, "success") : "",
        reply.official ? badge(t("reply.official"), "accent") : "",
        stateBadge(page, reply.moderationState),
    ];
    const classes = `${reply.accepted ? " accepted" : ""}${reply.official ? " official" : ""}${reply.author.champion ? " champion" : ""}${reply.moderationState === "visible" ? "" : " held"}`;
    return html `<li><article class="post reply${classes}" id="reply-${reply.id}" aria-label="${t("reply.label", { name: reply.author.name })}">
<div class="post-main">
${voteWidget(page, { action: `${base}/vote`, api: `/api/v1/replies/${reply.id}/vote`, score: reply.score, myVote: reply.myVote, allowed: reply.abilities.vote })}
<div class="post-content">
${reply.accepted || reply.official || reply.moderationState !== "visible" ? html `<p class="flags">${flags}</p>` : ""}
<div class="prose">${raw(reply.bodyHtml)}</div>
<div class="post-foot">
${byline(page, topic.community, reply.author, reply.createdAt, { at: reply.editedAt, history: `${base}/history` })}
<div class="post-actions">${accept}${reply.abilities.edit ? html `<a class="button subtle" href="${base}/edit">${t("post.edit")}</a>` : ""}${postTools(page, topic.community, { type: "reply", ...reply })}</div>
</div>
${comments(page, topic, reply, forms.comment?.replyId === reply.id ? forms.comment.form : undefined)}
</div>
</div>
</article></li>`;
}
function replyForm(page, data, form) {
    const { t } = page;
    const { topic } = data;
    if (topic.locked)
        return lockedNotice(page);
    if (!page.actor) {
        return html `<p class="card login-prompt"><a class="button primary" href="${loginUrl(topic.url)}">${t("reply.loginToReply")}</a> <a href="/signup?next=${encodeURIComponent(topic.url)}">${t("reply.orSignup")}</a></p>`;
    }
    if (!topic.abilities.reply)
        return suspensionNotice(page, data.access);
    return html `<section class="card reply-form" aria-labelledby="reply-form-title">
<h2 id="reply-form-title">${t("reply.formTitle")}</h2>
${formAlert(page, form, { body: t("reply.body") })}
<form method="post" action="${topic.url}/reply" novalidate>${page.csrfField()}
${textareaField({ form, name: "body", label: t("reply.body"), hint: markdownHint(page), rows: 6, maxlength: LIMITS.bodyMax, required: true })}
<button type="submit" class="button primary">${t("reply.submit")}</button>
</form>
</section>`;
}
/**
 * A topic, its replies in the service's display order (accepted, official, by votes) with
 * comments, and the reply form; `panels` are what other domains put around the topic
 * (renderTopicPanels: duplicate of..., promote to an article, book a helper, the staff case).
 */
export function topicPageView(page, data, panels, forms = {}) {
    const { t, tn } = page;
    const { topic, replies } = data;
    const community = data.access.community;
    return {
        title: topic.title,
        content: html `${breadcrumbs(page, [
            { label: t("home.title"), href: "/" },
            { label: community.name, href: `/c/${community.slug}` },
            { label: topic.title },
        ])}
${panels.above}
${topicArticle(page, topic)}
${panels.below}
<p class="sr-only" role="status" data-live-status data-updated="${t("live.updated")}" data-pending="${t("live.pending")}"></p>
<section class="replies" aria-labelledby="replies-title" data-live-topic="${topic.id}">
<h2 id="replies-title">${tn("topic.replies", replies.length)}</h2>
${replies.length ? html `<ol class="reply-list" role="list">${replies.map((r) => replyArticle(page, topic, r, forms))}</ol>` : html `<p class="empty">${t("reply.none")}</p>`}
</section>
${replyForm(page, data, forms.reply ?? blankForm())}`,
    };
}
