/**
 * The public module of the seo domain (sitemaps, robots.txt, the head of public pages, structured
 * data, Atom feeds): what other domains may use of it. The composition root wires the rest.
 */
export { type FeedRequest, feedPath } from "./seo.feeds.ts";
