import { absoluteTime, relativeTime } from "../i18n/i18n.ts";
import { html, type Html } from "./html.ts";
import type { PageContext } from "./layout.ts";

/** "3 hours ago", with the exact time for machines and as a tooltip. */
export function timeAgo(page: PageContext, at: string | number): Html {
  const ms = typeof at === "number" ? at : Date.parse(at);
  return html`<time datetime="${new Date(ms).toISOString()}" title="${absoluteTime(page.locale, ms)}">${relativeTime(page.locale, ms, page.now)}</time>`;
}

export type BadgeTone = "neutral" | "info" | "success" | "accent" | "warning";

export function badge(text: string, tone: BadgeTone = "neutral"): Html {
  return html`<span class="badge ${tone}">${text}</span>`;
}

/** Where the page sits; the last crumb is the current page and is not a link. */
export function breadcrumbs(page: PageContext, trail: { label: string; href?: string }[]): Html {
  return html`<nav class="crumbs" aria-label="${page.t("nav.breadcrumbs")}"><ol>${trail.map((c) =>
    c.href ? html`<li><a href="${c.href}">${c.label}</a></li>` : html`<li aria-current="page">${c.label}</li>`,
  )}</ol></nav>`;
}

/** A button that posts a one-field form (join, accept, follow...). */
export function actionButton(
  page: PageContext,
  props: { action: string; label: string; className?: string; fields?: Record<string, string> },
): Html {
  return html`<form method="post" action="${props.action}" class="inline-form">${page.csrfField()}${Object.entries(
    props.fields ?? {},
  ).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button type="submit" class="${props.className ?? "button"}">${props.label}</button></form>`;
}
