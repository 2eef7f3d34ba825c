import type { Category, IdeaStatus } from "../db/schema.ts";
import type { TopicPageData } from "../topics/index.ts";
import { categoryLink, kindBadge, topicBase } from "../topics/index.ts";
import { escapeXml, html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { badge, communityCrumbs, emptyState, timeAgo, type BadgeTone } from "../web/components.ts";
import { selectField, textareaField, formAlert } from "../web/fields.ts";
import { blankForm, type FormState } from "../web/forms.ts";
import {
  IDEA_NOTE_MAX,
  IDEA_STATUSES,
  IDEAS_LIMIT_DEFAULT,
  IDEAS_LIMIT_MAX,
  ideaStatusLabel,
  type IdeasQuery,
} from "./ideas.schema.ts";
import type { IdeaItem, TimelineEntry } from "./ideas.service.ts";

const TONE: Record<IdeaStatus, BadgeTone> = {
  new: "neutral",
  under_review: "info",
  planned: "accent",
  in_progress: "warning",
  done: "success",
  declined: "neutral",
};

export function ideaStatusBadge(page: PageContext, status: IdeaStatus): Html {
  const label = badge(page.t(ideaStatusLabel(status)), TONE[status]);
  return html`<span class="idea-status idea-status-${status}">${label}</span>`;
}

const statusOptions = (page: PageContext) =>
  IDEA_STATUSES.map((s) => ({ value: s, label: page.t(ideaStatusLabel(s)) }));

function timelineView(page: PageContext, entries: TimelineEntry[]): Html {
  if (entries.length === 0) return html`<p class="hint">${page.t("idea.noChanges")}</p>`;
  return html`<ol class="idea-timeline">${entries.map(
    (e) =>
      html`<li id="idea-change-${e.id}"><p>${ideaStatusBadge(page, e.status)} ${page.th("idea.changedBy", {
        name: html`<strong>${e.staff.name}</strong>`,
        time: timeAgo(page, e.createdAt),
      })}</p>${e.note ? html`<p class="idea-note">${e.note}</p>` : ""}</li>`,
  )}</ol>`;
}

/** The staff form that moves an idea on; without JavaScript a plain POST. */
export function statusForm(page: PageContext, topic: TopicPageData["topic"], current: IdeaStatus, form?: FormState) {
  const state = form ?? blankForm({ status: current });
  return html`<form method="post" action="${topicBase(topic)}/idea-status" class="idea-status-form">${page.csrfField()}
${formAlert(page, state, { status: page.t("idea.status"), note: page.t("idea.note") }, "idea-new-")}
${selectField({
  form: state,
  name: "status",
  id: "idea-new-status",
  label: page.t("idea.status"),
  options: statusOptions(page),
})}
${textareaField({
  form: state,
  name: "note",
  id: "idea-new-note",
  label: page.t("idea.note"),
  hint: page.t("idea.noteHint"),
  rows: 3,
  maxlength: IDEA_NOTE_MAX,
})}
<button type="submit" class="button">${page.t("idea.setStatus")}</button></form>`;
}

/** On an idea's page: where it stands, its dated timeline, and for staff the form to move it on. */
export function ideaProgressPanel(
  page: PageContext,
  data: TopicPageData,
  progress: { ideaStatus: IdeaStatus; timeline: TimelineEntry[] },
  staff: boolean,
  form?: FormState,
): Html {
  const { topic } = data;
  return html`<section class="card idea-progress" id="idea-status" aria-labelledby="idea-status-title">
<h2 id="idea-status-title">${page.t("idea.progress")} ${ideaStatusBadge(page, progress.ideaStatus)}</h2>
${timelineView(page, progress.timeline)}
${staff ? statusForm(page, topic, progress.ideaStatus, form) : ""}
<p><a href="/c/${topic.community}/ideas">${page.t("idea.toBoard")}</a></p>
</section>`;
}

function ideaCard(page: PageContext, slug: string, idea: IdeaItem): Html {
  return html`<li class="idea-card"><span class="score" title="${page.t("vote.score")}">${idea.score}</span>
<div><a href="${idea.url}">${idea.title}</a>
<p class="meta">${ideaStatusBadge(page, idea.ideaStatus)} ${categoryLink(slug, idea.category)} · ${page.tn(
    "follow.count",
    idea.followerCount,
  )}${idea.statusChangedAt ? html` · ${timeAgo(page, idea.statusChangedAt)}` : ""}</p></div></li>`;
}

/**
 * Under a column that lists fewer ideas than its count: a link to the board of that status alone,
 * asking for as many as it takes (up to the API's most), with the same category and order.
 */
function moreLink(
  page: PageContext,
  slug: string,
  filter: IdeasQuery,
  status: IdeaStatus,
  { count, shown }: { count: number; shown: number },
): Html | "" {
  // Whatever the board's own limit: a column cut at the API's most links on, and that board pages on.
  if (shown >= count) return "";
  const limit = count <= IDEAS_LIMIT_DEFAULT ? IDEAS_LIMIT_DEFAULT : IDEAS_LIMIT_MAX;
  const query = new URLSearchParams({ status });
  if (filter.category) query.set("category", filter.category);
  if (filter.sort !== "votes") query.set("sort", filter.sort);
  if (limit !== IDEAS_LIMIT_DEFAULT) query.set("limit", String(limit));
  const label = count <= limit ? page.t("idea.showAll", { count }) : page.t("idea.showFirst", { limit, count });
  return html`<p class="idea-more"><a href="/c/${slug}/ideas?${query.toString()}">${label}</a></p>`;
}

/**
 * The pages of one status's board: the ideas before and after these, as many at a time, with the
 * same category and order.
 */
function statusPager(
  page: PageContext,
  slug: string,
  filter: IdeasQuery,
  { count, shown }: { count: number; shown: number },
): Html | "" {
  const { limit, offset } = filter;
  const hasNext = offset + shown < count;
  if (offset === 0 && !hasNext) return "";
  const href = (at: number) => {
    const query = new URLSearchParams({ status: filter.status ?? "" });
    if (filter.category) query.set("category", filter.category);
    if (filter.sort !== "votes") query.set("sort", filter.sort);
    if (limit !== IDEAS_LIMIT_DEFAULT) query.set("limit", String(limit));
    if (at > 0) query.set("offset", String(at));
    return `/c/${slug}/ideas?${query.toString()}`;
  };
  const range = page.t("idea.range", { from: offset + 1, to: offset + shown, count });
  // Asked past the last idea (a link followed after ideas left the status), "previous" is the last page.
  const previous = Math.max(0, Math.min(offset - limit, count - limit));
  return html`<nav class="idea-pager" aria-label="${page.t("idea.pages")}"><p>${shown ? range : ""}
${offset > 0 ? html`<a href="${href(previous)}" rel="prev">${page.t("idea.previous")}</a>` : ""}
${hasNext ? html`<a href="${href(offset + limit)}" rel="next">${page.t("idea.next")}</a>` : ""}</p></nav>`;
}

export interface BoardData {
  community: { slug: string; name: string };
  categories: Category[];
  filter: IdeasQuery;
  items: IdeaItem[];
  counts: Record<IdeaStatus, number>;
}

/**
 * The option of the category the filter names, by id or by slug in any case (an id wins, as the
 * board reads it): without it the form shows "All categories" and sending it again drops the filter.
 */
function categoryOption(categories: Category[], category: string | undefined): string {
  if (!category) return "";
  const named =
    categories.find((c) => /^\d+$/.test(category) && c.id === Number(category)) ??
    categories.find((c) => c.slug === category.toLowerCase());
  return named?.slug ?? "";
}

/** The public ideas board: one section per status, filters that work as a plain GET form. */
export function boardView(page: PageContext, data: BoardData): PageView {
  const { t } = page;
  const { slug, name } = data.community;
  const filterForm = blankForm({
    status: data.filter.status ?? "",
    category: categoryOption(data.categories, data.filter.category),
    sort: data.filter.sort,
  });
  const shown = data.filter.status ? [data.filter.status] : IDEA_STATUSES;
  const feed = `/c/${slug}/ideas/feed.atom`;
  return {
    title: t("idea.boardTitle", { community: name }),
    content: html`${communityCrumbs(page, data.community, { label: t("idea.board") })}
<h1>${t("idea.boardTitle", { community: name })}</h1>
<p>${t("idea.boardLead")} <a href="${feed}" type="application/atom+xml">${t("idea.feed")}</a></p>
<form method="get" action="/c/${slug}/ideas" class="filters" aria-label="${t("idea.filters")}">
${selectField({
  form: filterForm,
  name: "status",
  id: "board-status",
  label: t("idea.status"),
  options: [{ value: "", label: t("idea.allStatuses") }, ...statusOptions(page)],
})}
${selectField({
  form: filterForm,
  name: "category",
  id: "board-category",
  label: t("idea.category"),
  options: [
    { value: "", label: t("idea.allCategories") },
    ...data.categories.map((c) => ({ value: c.slug, label: c.name })),
  ],
})}
${selectField({
  form: filterForm,
  name: "sort",
  id: "board-sort",
  label: t("idea.sort"),
  options: [
    { value: "votes", label: t("idea.sort.votes") },
    { value: "recent", label: t("idea.sort.recent") },
  ],
})}
<button type="submit" class="button">${t("idea.apply")}</button>
</form>
${
  shown.every((status) => data.counts[status] === 0)
    ? emptyState(t("idea.none"), { href: `/c/${slug}/new?kind=idea`, label: t("idea.suggest") })
    : shown.map((status) => {
        const items = data.items.filter((i) => i.ideaStatus === status);
        return html`<section class="idea-column" aria-labelledby="ideas-${status}">
<h2 id="ideas-${status}">${t(ideaStatusLabel(status))} <span class="count">(${data.counts[status]})</span></h2>
${
  items.length
    ? html`<ul class="idea-list" role="list">${items.map((i) => ideaCard(page, slug, i))}</ul>`
    : html`<p class="hint">${t("idea.none")}</p>`
}
${
  data.filter.status
    ? statusPager(page, slug, data.filter, { count: data.counts[status], shown: items.length })
    : moreLink(page, slug, data.filter, status, { count: data.counts[status], shown: items.length })
}
</section>`;
      })
}
<p>${kindBadge(page, "idea")} <a href="/c/${slug}/new?kind=idea">${t("idea.suggest")}</a></p>`,
  };
}

/** An Atom feed of status changes (RFC 4287); feed readers and other sites follow the board. */
export function atomFeed(
  t: PageContext["t"],
  base: string,
  community: { slug: string; name: string },
  changes: {
    id: number;
    status: IdeaStatus;
    note: string | null;
    createdAt: number;
    staffName: string;
    topicId: number;
    title: string;
  }[],
  now: number,
): string {
  const self = `${base}/c/${community.slug}/ideas/feed.atom`;
  const updated = new Date(changes[0]?.createdAt ?? now).toISOString();
  const entries = changes.map((c) => {
    const link = `${base}/c/${community.slug}/t/${c.topicId}`;
    const status = t(ideaStatusLabel(c.status));
    return `<entry>
<id>${escapeXml(`${base}/c/${community.slug}/ideas/changes/${c.id}`)}</id>
<title>${escapeXml(`${c.title}: ${status}`)}</title>
<link rel="alternate" href="${escapeXml(link)}"/>
<updated>${new Date(c.createdAt).toISOString()}</updated>
<author><name>${escapeXml(c.staffName)}</name></author>
<content type="text">${escapeXml(c.note ? `${status}: ${c.note}` : status)}</content>
</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${escapeXml(self)}</id>
<title>${escapeXml(t("idea.feedTitle", { community: community.name }))}</title>
<link rel="self" href="${escapeXml(self)}"/>
<link rel="alternate" href="${escapeXml(`${base}/c/${community.slug}/ideas`)}"/>
<updated>${updated}</updated>
${entries.join("\n")}
</feed>
`;
}
