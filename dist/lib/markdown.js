import MarkdownIt from "markdown-it";
// Raw HTML is off, so user input can only produce the tags Markdown itself emits;
// markdown-it's link validation refuses javascript:, vbscript: and file: URLs, and we refuse every
// data: URL too (markdown-it lets data:image/png and a few others through, in links as well as images).
const md = new MarkdownIt({ html: false, linkify: true, breaks: false });
const validateLink = md.validateLink;
md.validateLink = (url) => !/^data:/i.test(url.trim()) && validateLink(url);
const renderLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx].attrSet("rel", "nofollow ugc noopener");
    return renderLinkOpen(tokens, idx, options, env, self);
};
export function renderMarkdown(source) {
    return md.render(source);
}
