import type { MessageKey, Translate } from "../i18n/i18n.ts";
import { html, type Html } from "./html.ts";

/**
 * A short confirmation after a small form on a page (flag, follow, vote without JavaScript): the
 * form sends the member back to the page with `?done=<what>`, and the layout says what happened.
 * No session state, so it works the same on every instance.
 */
const DONE_NOTICES = {
  flagged: "done.flagged",
  followed: "done.followed",
  unfollowed: "done.unfollowed",
  voted: "done.voted",
  accepted: "done.accepted",
  unaccepted: "done.unaccepted",
  read: "done.read",
  merged: "done.merged",
} as const satisfies Record<string, MessageKey>;

export type Done = keyof typeof DONE_NOTICES;

/** Notices that tell of something not done, shown as a warning rather than a success. */
const NOT_DONE: ReadonlySet<Done> = new Set(["merged"]);

/** `url` with `done=<what>` in its query, before any #fragment. */
export function withDone(url: string, done: Done): string {
  const hash = url.indexOf("#");
  const [path, fragment] = hash < 0 ? [url, ""] : [url.slice(0, hash), url.slice(hash)];
  const query = new URLSearchParams(path.includes("?") ? path.slice(path.indexOf("?") + 1) : "");
  query.set("done", done);
  return `${path.split("?")[0]}?${query}${fragment}`;
}

/** The confirmation a page's query asks for, if the `done` it names is one of ours. */
export function doneNotice(t: Translate, query: unknown): Html | "" {
  const done = (query as Record<string, unknown> | undefined)?.done;
  if (typeof done !== "string" || !Object.hasOwn(DONE_NOTICES, done)) return "";
  const tone = NOT_DONE.has(done as Done) ? "warning" : "success";
  return html`<p class="notice ${tone} done-notice" role="status">${t(DONE_NOTICES[done as Done])}</p>`;
}
