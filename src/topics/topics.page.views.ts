import { LIMITS } from "../core/config.ts";
import { html, raw, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { blankForm, type FormState } from "../web/forms.ts";
import { editorField } from "../web/editor.ts";
import { formAlert, textareaField, textareaText } from "../web/fields.ts";
import { actionButton, authorName, badge, communityCrumbs, suspensionNotice, timeAgo } from "../web/components.ts";
import { loginUrl } from "../web/page.ts";
import { suspensionOf } from "../access/access.ts";
import type { PublicComment, PublicReply, TopicPageData } from "./topics.service.ts";
import type { CategoryScope } from "../db/schema.ts";
import {
  categoryLink,
  hideButton,
  lockedNotice,
  stateBadge,
  tagLinks,
  topicBadges,
  voteWidget,
} from "./topics.views.ts";
import { topicPanels, type PostRef, type RefusedPanelForm } from "./topics.panels.ts";
import { topicBase } from "./topics.urls.ts";

type Topic = TopicPageData["topic"];

/** Forms on the topic page that come back with messages after a failed post. */
export interface TopicPageForms {
  reply?: FormState;
  /** replyId null: the form under the question itself. */
  comment?: { replyId: number | null; form: FormState };
  /** A form of another domain's panel (topics.panels.ts). */
  panel?: RefusedPanelForm;
}

export function markdownHint(page: PageContext): Html {
  return html`${page.t("form.markdownHint")} <code>**${page.t("form.bold")}**</code> <code>*${page.t(
    "form.italic",
  )}*</code> <code>[${page.t("form.link")}](https://…)</code> <code>- ${page.t("form.list")}</code>`;
}

type Author = Topic["author"];

function byline(
  page: PageContext,
  slug: string,
  author: Author,
  createdAt: string,
  edited: { at: string | null; history: string },
): Html {
  return html`<p class="byline">${page.th("post.byline", {
    name: authorName(page, slug, author),
    time: timeAgo(page, createdAt),
  })}${
    edited.at
      ? html` · <a href="${edited.history}">${page.th("post.edited", { time: timeAgo(page, edited.at) })}</a>`
      : ""
  }</p>`;
}

function followWidget(page: PageContext, topic: Topic): Html {
  const { t, tn } = page;
  if (!topic.abilities.follow)
    return topic.followerCount ? html`<p class="follow-count">${tn("follow.count", topic.followerCount)}</p>` : html``;
  return html`<form class="inline-form" method="post"
    action="${topicBase(topic)}/${topic.following ? "unfollow" : "follow"}" data-follow="${topicBase(topic)}/follow"
      data-unfollow="${topicBase(topic)}/unfollow"
        data-api="/api/v1/topics/${topic.id}/follow">${page.csrfField()}<button type="submit" class="button toggle"
          aria-pressed="${String(topic.following)}" title="${t("follow.hint")}">${t("follow.button")} <span
            class="count" data-count>${topic.followerCount}</span></button></form>`;
}

/** Hide or restore (moderators), then what other domains offer on a post (flag it). */
function postTools(
  page: PageContext,
  slug: string,
  type: PostRef["type"],
  post: { id: number; moderationState: string; abilities: { flag: boolean; hide: boolean } },
): Html {
  // Only what the tools read: the post given is the whole topic or reply, and copying all of
  // its fields for every post showed in the page's CPU profile.
  const ref: PostRef = {
    slug,
    type,
    id: post.id,
    moderationState: post.moderationState,
    abilities: post.abilities,
  };
  const hide = post.abilities.hide ? hideButton(page, { ...ref, state: post.moderationState }) : "";
  return html`${hide}${topicPanels().postActions.map((action) => action(page, ref))}`;
}

/** On a topic: its category's expectation, and who sees and answers it when staff do. */
function topicScopeNotice(page: PageContext, scope: CategoryScope, expectation: string): Html {
  const { t } = page;
  const who = scope === "private" ? t("scope.privateTopic") : scope === "staff_only" ? t("scope.staffOnlyTopic") : "";
  if (!who && !expectation) return html``;
  return html`<p class="notice expectation" role="note">${[who, expectation].filter(Boolean).join(" ")}</p>`;
}

/** An imported topic names and links its original, as its licence (CC BY-SA) requires. */
function sourceNotice(page: PageContext, source: Topic["source"]): Html | "" {
  if (!source) return "";
  return html`<p class="source-notice">${page.th("topic.importedFrom", {
    link: html`<a href="${source.url}" rel="nofollow noopener">${source.site}</a>`,
  })} <a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license noopener">CC BY-SA</a></p>`;
}

function topicArticle(page: PageContext, topic: Topic, failedComment: FormState | undefined): Html {
  const { t } = page;
  const moderate = topic.abilities.lock || topic.abilities.move || topic.abilities.merge;
  return html`<article class="post topic${topic.moderationState === "visible" ? "" : " held"}"
    aria-labelledby="topic-title">
<header class="post-head">
<div class="meta">${topicBadges(page, topic)} ${stateBadge(page, topic.moderationState)} ${categoryLink(
    topic.community,
    topic.category,
  )}</div>
<h1 id="topic-title">${topic.title}</h1>
${byline(page, topic.community, topic.author, topic.createdAt, {
  at: topic.editedAt,
  history: `${topicBase(topic)}/history`,
})}
${topicScopeNotice(page, topic.scope, topic.expectation)}
${sourceNotice(page, topic.source)}
</header>
<div class="post-main">
${voteWidget(page, {
  action: `${topicBase(topic)}/vote`,
  api: `/api/v1/topics/${topic.id}/vote`,
  score: topic.score,
  myVote: topic.myVote,
  allowed: topic.abilities.vote,
})}
<div class="post-content">
<div class="prose">${raw(topic.bodyHtml)}</div>
${tagLinks(page, topic.community, topic.tags)}
<div class="post-actions">${followWidget(page, topic)}${
    topic.abilities.edit
      ? html`<a class="button subtle"
  href="${topicBase(topic)}/edit">${t("post.edit")}</a>`
      : topic.abilities.retag
        ? html`<a class="button subtle" href="${topicBase(topic)}/edit">${t("topic.editTags")}</a>`
        : ""
  }${
    moderate ? html`<a class="button subtle" href="${topicBase(topic)}/moderate">${t("mod.moderate")}</a>` : ""
  }${postTools(page, topic.community, "topic", topic)}</div>
${comments(
  page,
  topic,
  {
    comments: topic.comments,
    mayComment: topic.abilities.comment,
    action: `${topicBase(topic)}/comment`,
    prefix: "ct-",
  },
  failedComment,
)}
</div>
</div>
</article>`;
}

/** Comments under a post (the question or a reply) and, for those who may, the form to add one. */
function comments(
  page: PageContext,
  topic: Topic,
  post: { comments: PublicComment[]; mayComment: boolean; action: string; prefix: string },
  failed: FormState | undefined,
): Html {
  const { t } = page;
  const { prefix } = post;
  const form = failed ?? blankForm();
  const list = post.comments.length
    ? html`<ul class="comment-list" role="list">${post.comments.map(
        (c) =>
          html`<li class="comment" id="comment-${c.id}">${stateBadge(page, c.moderationState)}<div
            class="prose">${raw(c.bodyHtml)}</div><p class="byline">${page.th("post.byline", {
              name: authorName(page, topic.community, c.author),
              time: timeAgo(page, c.createdAt),
            })}</p></li>`,
      )}</ul>`
    : "";
  const add = post.mayComment
    ? html`<details class="comment-form"${failed ? html` open` : ""}><summary>${t("comment.add")}</summary>
${formAlert(page, form, { body: t("comment.body") }, prefix)}
<form method="post" action="${post.action}" novalidate>${page.csrfField()}
${textareaField({
  form,
  id: `${prefix}body`,
  name: "body",
  label: t("comment.body"),
  rows: 2,
  maxlength: LIMITS.commentMax,
  required: true,
})}
<button type="submit" class="button small">${t("comment.submit")}</button>
</form></details>`
    : failed
      ? refusedText(page, failed, `${prefix}body`, t("comment.body"))
      : "";
  return list || add ? html`<div class="comments">${list}${add}</div>` : html``;
}

function replyArticle(page: PageContext, topic: Topic, reply: PublicReply, forms: TopicPageForms): Html {
  const { t } = page;
  const base = `/c/${topic.community}/r/${reply.id}`;
  // Only a visible reply can be accepted (its abilities say so; the accepted one can be unaccepted).
  const accept = reply.abilities.accept
    ? reply.accepted
      ? actionButton(page, {
          action: `${topicBase(topic)}/unaccept`,
          label: t("accept.undo"),
          className: "button subtle",
        })
      : actionButton(page, {
          action: `${topicBase(topic)}/accept`,
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
  const classes = `${reply.accepted ? " accepted" : ""}${reply.official ? " official" : ""}${
    reply.author.champion ? " champion" : ""
  }${reply.moderationState === "visible" ? "" : " held"}`;
  return html`<li><article class="post reply${classes}" id="reply-${reply.id}"
    aria-label="${t("reply.label", { name: reply.author.name })}">
<div class="post-main">
${voteWidget(page, {
  action: `${base}/vote`,
  api: `/api/v1/replies/${reply.id}/vote`,
  score: reply.score,
  myVote: reply.myVote,
  allowed: reply.abilities.vote,
})}
<div class="post-content">
${reply.accepted || reply.official || reply.moderationState !== "visible" ? html`<p class="flags">${flags}</p>` : ""}
<div class="prose">${raw(reply.bodyHtml)}</div>
<div class="post-foot">
${byline(page, topic.community, reply.author, reply.createdAt, { at: reply.editedAt, history: `${base}/history` })}
<div class="post-actions">${accept}${
    reply.abilities.edit
      ? html`<a class="button subtle"
  href="${base}/edit">${t("post.edit")}</a>`
      : ""
  }${postTools(page, topic.community, "reply", reply)}</div>
</div>
${comments(
  page,
  topic,
  { comments: reply.comments, mayComment: reply.abilities.comment, action: `${base}/comment`, prefix: `c${reply.id}-` },
  forms.comment?.replyId === reply.id ? forms.comment.form : undefined,
)}
</div>
</div>
</article></li>`;
}

/**
 * A post refused because the viewer may no longer post here (the topic was locked, or they were
 * suspended, while they typed): the reason, and their text to copy, since there is no form to send it again.
 */
function refusedText(page: PageContext, form: FormState, id: string, label: string): Html {
  // No form to correct here: every message is said as one, with no link to a field that is not shown.
  const said = { ...form, errors: { _form: Object.values(form.errors).join(" ") } };
  return html`${formAlert(page, said)}<div class="field refused-text"><label for="${id}">${label}</label>
<textarea id="${id}" rows="4" readonly>${textareaText(form.values.body ?? "")}</textarea></div>`;
}

function replyForm(page: PageContext, data: TopicPageData, form: FormState): Html {
  const { t } = page;
  const { topic } = data;
  // Refused, or previewed after the viewer could no longer reply (the topic locked meanwhile): the text to copy.
  const refused = Object.keys(form.errors).length
    ? refusedText(page, form, "body", t("reply.body"))
    : form.preview && form.values.body
      ? refusedText(page, { ...form, errors: { _form: t("reply.previewRefused") } }, "body", t("reply.body"))
      : "";
  if (topic.locked) return html`${lockedNotice(page)}${refused}`;
  if (!page.actor) {
    return html`<p class="card login-prompt"><a class="button primary"
      href="${loginUrl(topic.url)}">${t("reply.loginToReply")}</a> <a
        href="/signup?next=${encodeURIComponent(topic.url)}">${t("reply.orSignup")}</a></p>`;
  }
  if (!topic.abilities.reply) return html`${suspensionNotice(page, suspensionOf(data.access))}${refused}`;
  return html`<section class="card reply-form" aria-labelledby="reply-form-title">
<h2 id="reply-form-title">${t("reply.formTitle")}</h2>
${formAlert(page, form, { body: t("reply.body"), image: t("editor.attach") })}
<form method="post" action="${topicBase(topic)}/reply" enctype="multipart/form-data" novalidate>${page.csrfField()}
${editorField(page, {
  form,
  label: t("reply.body"),
  hint: markdownHint(page),
  rows: 6,
  community: data.access.community.slug,
  draft: `t${topic.id}`,
})}
<button type="submit" class="button primary">${t("reply.submit")}</button>
</form>
</section>`;
}

/**
 * A topic, its replies in the service's display order (accepted, official, by votes) with
 * comments, and the reply form; `panels` are what other domains put around the topic
 * (renderTopicPanels: duplicate of..., promote to an article, book a helper, the staff case).
 */
export function topicPageView(
  page: PageContext,
  data: TopicPageData,
  panels: { above: (Html | string)[]; below: (Html | string)[] },
  forms: TopicPageForms = {},
): PageView {
  const { t, tn } = page;
  const { topic, replies } = data;
  const community = data.access.community;
  return {
    title: topic.title,
    content: html`${communityCrumbs(page, community, { label: topic.title })}
${panels.above}
${topicArticle(page, topic, forms.comment?.replyId === null ? forms.comment.form : undefined)}
${panels.below}
<p class="sr-only" role="status" data-live-status data-updated="${t("live.updated")}"
  data-pending="${t("live.pending")}"></p>
<section class="replies" aria-labelledby="replies-title" data-live-topic="${topic.id}">
<h2 id="replies-title">${tn("topic.replies", replies.length)}</h2>
${
  replies.length
    ? html`<ol class="reply-list"
  role="list">${replies.map((r) => replyArticle(page, topic, r, forms))}</ol>`
    : html`<p
    class="empty">${t("reply.none")}</p>`
}
</section>
${replyForm(page, data, forms.reply ?? blankForm())}`,
  };
}
