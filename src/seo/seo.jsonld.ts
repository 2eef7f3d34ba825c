import type { Community } from "../db/schema.ts";
import type { Crumb } from "../web/layout.ts";
import type { TopicPageData } from "../topics/index.ts";
import { plainText } from "./seo.text.ts";

/** schema.org nodes as JSON-LD: https://schema.org, read by search engines for rich results. */
type Node = Record<string, unknown>;

const CONTEXT = "https://schema.org";

type Topic = TopicPageData["topic"];
type Reply = TopicPageData["replies"][number];

function person(base: string, community: string, author: { id: number; name: string }): Node {
  return { "@type": "Person", name: author.name, url: `${base}/c/${community}/u/${author.id}` };
}

/** The trail the page showed, each step a ListItem; the last one is the page itself. */
export function breadcrumbList(base: string, trail: readonly Crumb[], self: string): Node {
  return {
    "@context": CONTEXT,
    "@type": "BreadcrumbList",
    itemListElement: trail.map((crumb, i) => ({
      "@type": "ListItem",
      position: i + 1,
      name: crumb.label,
      item: crumb.href ? base + crumb.href : self,
    })),
  };
}

function answer(base: string, topic: Topic, url: string, reply: Reply): Node {
  return {
    "@type": "Answer",
    text: plainText(reply.bodyHtml),
    dateCreated: reply.createdAt,
    upvoteCount: reply.score,
    url: `${url}#reply-${reply.id}`,
    author: person(base, topic.community, reply.author),
  };
}

/**
 * A question topic as a QAPage (Google's Q&A rich result): the Question with its name, text,
 * answer count, votes, date and author; the accepted reply as acceptedAnswer, the others as
 * suggestedAnswer. Only answers count, as topics count them (answersTopic): replies everyone may
 * read, not the asker's own follow-ups, nor a merged topic's question (another asking, not an answer).
 * The asker's own reply they accepted is the page's solution all the same: the acceptedAnswer, counted.
 */
export function qaPage(base: string, url: string, data: TopicPageData): Node {
  const { topic } = data;
  const replies = data.replies.filter(
    (r) =>
      r.moderationState === "visible" &&
      (r.author.id !== topic.author.id || r.accepted) &&
      r.mergedFromTopicId === null,
  );
  const accepted = replies.find((r) => r.accepted);
  const others = replies.filter((r) => !r.accepted);
  return {
    "@context": CONTEXT,
    "@type": "QAPage",
    mainEntity: {
      "@type": "Question",
      name: topic.title,
      text: plainText(topic.bodyHtml),
      answerCount: replies.length,
      upvoteCount: topic.score,
      dateCreated: topic.createdAt,
      ...(topic.editedAt ? { dateModified: topic.editedAt } : {}),
      author: person(base, topic.community, topic.author),
      ...(accepted ? { acceptedAnswer: answer(base, topic, url, accepted) } : {}),
      ...(others.length ? { suggestedAnswer: others.map((r) => answer(base, topic, url, r)) } : {}),
    },
  };
}

/** Ideas, problems and praise as a DiscussionForumPosting with its replies as comments. */
export function forumPosting(base: string, url: string, data: TopicPageData): Node {
  const { topic } = data;
  const replies = data.replies.filter((r) => r.moderationState === "visible");
  return {
    "@context": CONTEXT,
    "@type": "DiscussionForumPosting",
    headline: topic.title,
    text: plainText(topic.bodyHtml),
    url,
    datePublished: topic.createdAt,
    ...(topic.editedAt ? { dateModified: topic.editedAt } : {}),
    author: person(base, topic.community, topic.author),
    interactionStatistic: [
      {
        "@type": "InteractionCounter",
        interactionType: `${CONTEXT}/LikeAction`,
        userInteractionCount: topic.score,
      },
      {
        "@type": "InteractionCounter",
        interactionType: `${CONTEXT}/CommentAction`,
        userInteractionCount: replies.length,
      },
    ],
    comment: replies.map((r) => ({
      "@type": "Comment",
      text: plainText(r.bodyHtml),
      datePublished: r.createdAt,
      url: `${url}#reply-${r.id}`,
      author: person(base, topic.community, r.author),
    })),
  };
}

/** A knowledge-base article, published by its community. */
export function articleNode(
  base: string,
  url: string,
  community: Pick<Community, "name" | "slug">,
  article: {
    title: string;
    bodyHtml: string;
    createdAt: string;
    updatedAt: string;
    author: { id: number; name: string };
  },
  description: string,
): Node {
  return {
    "@context": CONTEXT,
    "@type": "Article",
    // Google reads at most 110 characters of a headline.
    headline: article.title.slice(0, 110),
    description,
    articleBody: plainText(article.bodyHtml),
    datePublished: article.createdAt,
    dateModified: article.updatedAt,
    author: person(base, community.slug, article.author),
    publisher: { "@type": "Organization", name: community.name, url: `${base}/c/${community.slug}` },
    mainEntityOfPage: { "@type": "WebPage", "@id": url },
  };
}
