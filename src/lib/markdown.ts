import MarkdownIt from "markdown-it";
import {
  ATTACHMENT_PREFIX,
  attachmentRowKey,
  attachmentUrl,
  fitInside,
  parseAttachmentUrl,
  THUMB_SIDE,
} from "./attachments.ts";

// Raw HTML is off, so user input can only produce the tags Markdown itself emits;
// markdown-it's link validation refuses javascript:, vbscript: and file: URLs, and we refuse every
// data: URL too (markdown-it lets data:image/png and a few others through, in links as well as images).
const md = new MarkdownIt({ html: false, linkify: true, breaks: false });
const validateLink = md.validateLink;
md.validateLink = (url) => !/^data:/i.test(url.trim()) && validateLink(url);

const renderLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet("rel", "nofollow ugc noopener");
  return renderLinkOpen(tokens, idx, options, env, self);
};

const renderImage = md.renderer.rules.image!;
/**
 * An attached image shows as its thumbnail, sized and loaded lazily, inside a link to the full
 * image; an external image is written as markdown-it writes it.
 */
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const attached = parseAttachmentUrl(String(token.attrGet("src") ?? ""));
  if (!attached) return renderImage(tokens, idx, options, env, self);
  const alt = md.utils.escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
  const thumb = fitInside(attached.width, attached.height, THUMB_SIDE);
  // Inside a link already (a linked image), the thumbnail is not wrapped in a second one.
  const img =
    `<img src="${attachmentUrl(attached.thumbKey)}" alt="${alt}" width="${thumb.width}" ` +
    `height="${thumb.height}" loading="lazy">`;
  const linked =
    tokens
      .slice(0, idx)
      .reverse()
      .find((t) => t.type === "link_open" || t.type === "link_close")?.type === "link_open";
  return linked ? img : `<a class="attachment" href="${attachmentUrl(attached.key)}">${img}</a>`;
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}

const IMAGE_SOURCE = /<img src="([^"]*)"/g;

/**
 * The images a post rendered above shows: `attached`, the number of images under the attachments' address
 * (each showing counts), with `keys`, the storage keys of those that name an attached image (each once, a
 * thumbnail by its full image's key); and `external`, the number of images from elsewhere.
 */
export function imagesShown(html: string): { attached: number; keys: string[]; external: number } {
  const keys = new Set<string>();
  let attached = 0;
  let external = 0;
  for (const [, src] of html.matchAll(IMAGE_SOURCE)) {
    if (!src.startsWith(ATTACHMENT_PREFIX)) {
      external++;
      continue;
    }
    attached++;
    const key = attachmentRowKey(src.replace(/^\/uploads\//, ""));
    if (key && parseAttachmentUrl(attachmentUrl(key))) keys.add(key);
  }
  return { attached, keys: [...keys], external };
}

/**
 * Text as Markdown shows it, before any rendering: backslash escapes and character references
 * (`&#99;`, `&nbsp;`, `&iacute;`) resolved as the renderer resolves them.
 */
export function unescapeMarkdown(source: string): string {
  return md.utils.unescapeAll(source);
}
