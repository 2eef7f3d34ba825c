import type { Category, Community, TopicKind } from "../db/schema.ts";
import { LIMITS } from "../core/config.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { selectField, inputField } from "../web/fields.ts";
import {
  actionButton,
  badge,
  breadcrumbs,
  timeAgo,
  type BadgeTone,
  emptyState,
  type EmptyAction,
} from "../web/components.ts";
import { loginUrl } from "../web/page.ts";
import type { PublicTopic } from "./topics.service.ts";
import { KINDS, SORTS, STATUSES, type ListTopicsInput, type TopicStatus } from "./topics.schema.ts";
import { authorName } from "../web/components.ts";
import { avatar } from "../web/avatar.ts";
import { decodeEntities } from "../lib/html-entities.ts";

const STATUS_TONE: Record<TopicStatus, BadgeTone> = {
  open: "neutral",
  answered: "info",
  solved: "success",
  escalated: "warning",
  abandoned: "neutral",
};

export function kindBadge(page: PageContext, kind: TopicKind): Html {
  return html`<span class="kind kind-${kind}">${page.t(`kind.${kind}`)}</span>`;
}

export function statusBadge(page: PageContext, status: TopicStatus): Html {
  return badge(page.t(`status.${status}`), STATUS_TONE[status]);
}

export function tagLinks(page: PageContext, slug: string, tags: string[]): Html {
  if (tags.length === 0) return html``;
  return html`<ul class="tags" aria-label="${page.t("topic.tags")}">${tags.map(
    (tag) => html`<li><a class="tag" href="/c/${slug}?tag=${encodeURIComponent(tag)}">${tag}</a></li>`,
  )}</ul>`;
}

export function categoryLink(slug: string, category: PublicTopic["category"]): Html {
  return category
    ? html`<a class="category" href="/c/${slug}?category=${encodeURIComponent(category.slug)}">${category.name}</a>`
    : html``;
}

/**
 * Up and down arrows around the score. Each arrow is a toggle (aria-pressed): pressing the
 * arrow of the current vote withdraws it (value 0). app.js sends the same vote to the API.
 */
export function voteWidget(
  page: PageContext,
  p: { action: string; api: string; score: number; myVote: number; allowed: boolean },
): Html {
  const { t } = page;
  const score = html`<span class="score"><span class="sr-only">${t("vote.score")} </span><span data-score
    aria-live="polite">${p.score}</span></span>`;
  if (!p.allowed) return html`<div class="vote">${score}</div>`;
  const arrow = (dir: 1 | -1) => {
    const pressed = p.myVote === dir;
    return html`<button type="submit" name="value" value="${pressed ? 0 : dir}" data-dir="${dir}"
      class="vote-button ${dir === 1 ? "up" : "down"}" aria-pressed="${String(pressed)}"
        title="${t(dir === 1 ? "vote.up" : "vote.down")}"><span
          class="sr-only">${t(dir === 1 ? "vote.up" : "vote.down")}</span><svg viewBox="0 0 16 16" aria-hidden="true"
            focusable="false"><path d="${dir === 1 ? "M8 3 14 12H2z" : "M8 13 2 4h12z"}"/></svg></button>`;
  };
  return html`<form class="vote" method="post" action="${p.action}" data-vote
    data-api="${p.api}">${page.csrfField()}${arrow(1)}${score}${arrow(-1)}</form>`;
}

/** A topic as a list shows it: with who replied last. */
export type ListedTopic = PublicTopic & {
  lastReply: { author: { id: number; name: string; avatarUrl: string | null }; at: string } | null;
};

/** The first words of a post's text (code blocks left out), cut at a word: the question at a glance. */
export function excerptOf(bodyHtml: string, max = 160): string {
  // Blocks end words; inline elements (strong, a, code) sit inside them.
  const text = decodeEntities(
    bodyHtml
      .replace(/<(pre|script|style)\b[\s\S]*?<\/\1>/gi, " ")
      .replace(/<\/?(?:p|br|li|ul|ol|div|h[1-6]|blockquote|hr|tr|td|th|table)\b[^>]*>/gi, " ")
      .replace(/<[^>]*>/g, ""),
  )
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export interface TopicListData {
  community: Pick<Community, "slug" | "name" | "description" | "visibility">;
  categories: Category[];
  filter: ListTopicsInput;
  topics: ListedTopic[];
  nextCursor: string | null;
  /** From listTopics: what the viewer may do in the community, each a button or a link. */
  abilities: {
    post: boolean;
    join: boolean;
    manage: boolean;
    staff: boolean;
    support: boolean;
    reviewQueue: boolean;
    auditLog: boolean;
    insights: boolean;
    configure: boolean;
  };
}

/** Locked topics say so wherever they are listed or shown. */
export function lockedBadge(page: PageContext, topic: { locked: boolean }): Html {
  return topic.locked ? html` <span class="badge neutral">🔒 ${page.t("mod.locked")}</span>` : html``;
}

/** What a topic is and where it stands (kind, status, locked), first in its meta line on lists and pages. */
export function topicBadges(page: PageContext, topic: { kind: TopicKind; status: TopicStatus; locked: boolean }): Html {
  return html`${kindBadge(page, topic.kind)} ${statusBadge(page, topic.status)}${lockedBadge(page, topic)}`;
}

/** The filter's query string without the cursor (for links), or with the next page's cursor. */
export function filterQuery(filter: Partial<ListTopicsInput>, cursor?: string): string {
  const params = new URLSearchParams();
  for (const name of ["kind", "category", "tag", "status", "sort"] as const) {
    const value = filter[name];
    if (value && !(name === "sort" && value === "activity")) params.set(name, value);
  }
  if (filter.limit && filter.limit !== LIMITS.pageSize) params.set("limit", String(filter.limit));
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return query ? `?${query}` : "";
}

function filterForm(page: PageContext, data: TopicListData): Html {
  const { t } = page;
  const { filter } = data;
  const form = {
    values: {
      kind: filter.kind ?? "",
      category: filter.category ?? "",
      status: filter.status ?? "",
      tag: filter.tag ?? "",
      sort: filter.sort,
    },
    errors: {},
  };
  const any = (label: string) => ({ value: "", label });
  const filtered = filter.kind || filter.category || filter.status || filter.tag;
  return html`<form class="filters" method="get" action="/c/${data.community.slug}" aria-label="${t("list.filters")}">
${selectField({
  form,
  id: "f-kind",
  name: "kind",
  label: t("list.kind"),
  options: [any(t("list.anyKind")), ...KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))],
})}
${selectField({
  form,
  id: "f-category",
  name: "category",
  label: t("list.category"),
  options: [any(t("list.anyCategory")), ...data.categories.map((c) => ({ value: c.slug, label: c.name }))],
})}
${selectField({
  form,
  id: "f-status",
  name: "status",
  label: t("list.status"),
  options: [any(t("list.anyStatus")), ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))],
})}
${inputField({ form, id: "f-tag", name: "tag", label: t("list.tag"), maxlength: 30 })}
${selectField({
  form,
  id: "f-sort",
  name: "sort",
  label: t("list.sort"),
  options: SORTS.map((s) => ({ value: s, label: t(`sort.${s}`) })),
})}
<div class="filter-actions"><button type="submit" class="button">${t("list.apply")}</button>${
    filtered
      ? html` <a
  href="/c/${data.community.slug}${filterQuery({ sort: filter.sort })}">${t("list.clear")}</a>`
      : ""
  }</div>
</form>`;
}

/** "last reply by X, 2 hours ago", with X's face and a link to their profile. */
function lastReplyLine(page: PageContext, slug: string, reply: NonNullable<ListedTopic["lastReply"]>): Html {
  const name = html`<a class="author" href="/c/${slug}/u/${reply.author.id}">${avatar(reply.author)}${
    reply.author.name
  }</a>`;
  return html`<p class="last-reply">${page.th("list.lastReply", { name, time: timeAgo(page, reply.at) })}</p>`;
}

function topicRow(page: PageContext, topic: ListedTopic, sort: ListTopicsInput["sort"]): Html {
  const { tn } = page;
  const slug = topic.community;
  const when =
    sort === "activity" && !topic.lastReply
      ? page.th("list.active", { time: timeAgo(page, topic.lastActivityAt) })
      : timeAgo(page, topic.createdAt);
  const excerpt = excerptOf(topic.bodyHtml);
  return html`<li class="topic-row">
<div class="stats">
<span class="stat">${tn("topic.votes", topic.score)}</span>
<span class="stat${topic.status === "solved" ? " solved" : topic.answerCount ? " answered" : ""}">${tn(
    "topic.replies",
    topic.replyCount,
  )}</span>
<span class="stat views">${tn("topic.views", topic.viewCount)}</span>
</div>
<div class="summary">
<h3><a href="${topic.url}">${topic.title}</a></h3>
${excerpt ? html`<p class="excerpt">${excerpt}</p>` : ""}
<div class="meta">${topicBadges(page, topic)} ${categoryLink(slug, topic.category)} ${tagLinks(
    page,
    slug,
    topic.tags,
  )}</div>
<p class="byline">${page.th("list.byline", { name: authorName(page, slug, topic.author), time: when })}</p>
${topic.lastReply ? lastReplyLine(page, slug, topic.lastReply) : ""}
</div>
</li>`;
}

/** The one next step of an empty topic list: without the filters, else the first question (or log in to ask it). */
function emptyListAction(page: PageContext, data: TopicListData): EmptyAction | null {
  const base = `/c/${data.community.slug}`;
  if (filterQuery({ ...data.filter, limit: undefined }) !== "")
    return { href: base, label: page.t("empty.clearFilters") };
  if (data.abilities.post) return { href: `${base}/new`, label: page.t("empty.askFirst") };
  return page.actor ? null : { href: loginUrl(`${base}/new`), label: page.t("list.loginToPost") };
}

/** A community's topics with filters, sorting and "more" pagination; a GET form, so it works without JavaScript. */
export function topicListView(page: PageContext, data: TopicListData): PageView {
  const { t } = page;
  const { community } = data;
  const base = `/c/${community.slug}`;
  // Staff pages are in the Manage menu of the community's bar (communities.nav.ts), not here.
  const actions = html`${
    data.abilities.post
      ? html`<a class="button primary" href="${base}/new">${t("list.newTopic")}</a>`
      : page.actor
        ? ""
        : html`<a class="button primary" href="${loginUrl(`${base}/new`)}">${t("list.loginToPost")}</a>`
  }
${data.abilities.join ? actionButton(page, { action: `${base}/join`, label: t("community.join") }) : ""}`;
  return {
    title: community.name,
    content: html`${breadcrumbs(page, [{ label: t("home.title"), href: "/" }, { label: community.name }])}
<div class="page-head">
<div><h1>${community.name}${
      community.visibility === "private" ? html` ${badge(t("community.private"), "warning")}` : ""
    }</h1>
${community.description ? html`<p class="lead">${community.description}</p>` : ""}</div>
<div class="head-actions">${actions}</div>
</div>
${filterForm(page, data)}
<p class="list-links"><a href="${base}/categories">${t("cat.browse")}</a></p>
<section aria-labelledby="topics-title">
<h2 id="topics-title" class="sr-only">${t("list.topics")}</h2>
${
  data.topics.length
    ? html`<ol class="topic-list" role="list">${data.topics.map((topic) =>
        topicRow(page, topic, data.filter.sort),
      )}</ol>`
    : emptyState(t("list.empty"), emptyListAction(page, data))
}
${
  data.nextCursor
    ? html`<p class="more"><a class="button" href="${base}${filterQuery(data.filter, data.nextCursor)}"
  rel="next">${t("list.more")}</a></p>`
    : ""
}
</section>`,
  };
}

/** Where a post's moderation forms post to (flag, hide, restore). */
export type PostPath = { slug: string; type: "topic" | "reply" | "comment"; id: number };
export const postPath = (p: PostPath) => `/c/${p.slug}/posts/${p.type}/${p.id}`;

/** Hide (visible posts) or restore (hidden and held ones), for moderators. */
export function hideButton(page: PageContext, post: PostPath & { state: string }): Html {
  return post.state === "visible"
    ? actionButton(page, { action: `${postPath(post)}/hide`, label: page.t("mod.hide"), className: "button subtle" })
    : actionButton(page, {
        action: `${postPath(post)}/restore`,
        label: page.t(post.state === "pending" ? "mod.approve" : "mod.restore"),
        className: "button subtle",
      });
}

/** What only authors and reviewers see on a post that is not public. */
export function stateBadge(page: PageContext, state: string): Html {
  if (state === "pending") return badge(page.t("mod.state.pending"), "warning");
  if (state === "hidden") return badge(page.t("mod.state.hidden"), "warning");
  return html``;
}

export function lockedNotice(page: PageContext): Html {
  return html`<p class="notice" role="status">🔒 ${page.t("mod.lockedNotice")}</p>`;
}
