import { slugify } from "../lib/slug.ts";

/**
 * Pages under a topic's address (`/c/:slug/t/:id/<segment>`): a title slug must never be one of
 * them, or the topic's address would open that page instead.
 */
const TOPIC_SUBPAGES = new Set([
  "edit",
  "history",
  "case",
  "moderate",
  "move",
  "merge",
  "lock",
  "unlock",
  "reply",
  "comment",
  "vote",
  "accept",
  "unaccept",
  "follow",
  "unfollow",
  "poll",
  "idea-status",
]);

/** The title part of a topic's address: "how-do-i-restart-the-tv-box". */
export function topicSlug(title: string): string {
  const slug = slugify(title) || "topic";
  return TOPIC_SUBPAGES.has(slug) ? `${slug}-topic` : slug;
}

/** A topic's canonical address, `/c/:slug/t/:id/:title-slug`; the shorter forms redirect to it. */
export function topicPath(community: string, id: number, title: string): string {
  return `/c/${community}/t/${id}/${topicSlug(title)}`;
}

/** Where a topic's own pages and forms live (`/edit`, `/history`, `/vote`...): its address without the title slug. */
export function topicBase(topic: { community: string; id: number }): string {
  return `/c/${topic.community}/t/${topic.id}`;
}
