import { MENTION, mentionedHandle } from "./handles.ts";

/**
 * @mentions in rendered posts become links to the member's profile (issue #16). Works on the HTML
 * Markdown produced (raw HTML is off, so only its tags occur): text inside code, pre and links is
 * left alone, and a handle becomes a link only when the caller found it (a member of the community):
 * `mentionsIn` lists the handles of several posts, one lookup resolves them all, `linkMentions`
 * rewrites each post.
 */

const TAG = /(<[^>]*>)/;
const SKIPPED = /^<\/?(a|code|pre)\b/i;

/** Calls `text` on each run of text that is outside code, pre and links; returns the rewritten HTML. */
function mapProse(html: string, text: (run: string) => string): string {
  let depth = 0;
  let out = "";
  for (const part of html.split(TAG)) {
    if (part.startsWith("<")) {
      const skipped = SKIPPED.exec(part);
      if (skipped) depth += part[1] === "/" ? -1 : 1;
      out += part;
    } else out += depth > 0 || !part.includes("@") ? part : text(part);
  }
  return out;
}

/** The handles a rendered post mentions in its prose. */
export function mentionsIn(html: string): string[] {
  const handles = new Set<string>();
  mapProse(html, (run) => {
    for (const match of run.matchAll(MENTION)) {
      const handle = mentionedHandle(match[1]);
      if (handle) handles.add(handle);
    }
    return run;
  });
  return [...handles];
}

/** The post with each mention of a known handle as a link to `hrefs.get(handle)`. */
export function linkMentions(html: string, hrefs: ReadonlyMap<string, string>): string {
  if (hrefs.size === 0) return html;
  return mapProse(html, (run) =>
    run.replace(MENTION, (whole, token: string) => {
      const handle = mentionedHandle(token);
      const href = handle ? hrefs.get(handle) : undefined;
      if (!href) return whole;
      const name = token.replace(/[.-]+$/, "");
      const before = whole.slice(0, whole.length - token.length - 1);
      return `${before}<a class="mention" href="${href}">@${name}</a>${token.slice(name.length)}`;
    }),
  );
}
