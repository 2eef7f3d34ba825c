import { z } from "zod";
import { idParams, slugParams } from "../http/api.ts";
import { LIMITS } from "../core/config.ts";
import { ONE_LINE } from "../lib/one-line.ts";

export const KINDS = ["question", "idea", "problem", "praise"] as const;
/** Lifecycle statuses, derived from the topic row (topics.status.ts). */
export const STATUSES = ["open", "answered", "solved", "escalated", "abandoned"] as const;
export const SORTS = ["newest", "activity", "votes"] as const;
export type TopicStatus = (typeof STATUSES)[number];
export type TopicSort = (typeof SORTS)[number];

export const title = z
  .string()
  .trim()
  .min(LIMITS.titleMin, `Use at least ${LIMITS.titleMin} characters.`)
  .max(LIMITS.titleMax, `Use at most ${LIMITS.titleMax} characters.`)
  .refine(...ONE_LINE);

export const body = z
  .string()
  .trim()
  .min(1, "Write something.")
  .max(LIMITS.bodyMax, `Use at most ${LIMITS.bodyMax} characters.`);

export const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9+#.-]*$/, "Tags use letters, digits and - + # .")
  .max(LIMITS.tagMax);

export const tags = z
  .array(tag)
  .max(LIMITS.tagsMax, `Use at most ${LIMITS.tagsMax} tags.`)
  .transform((list) => [...new Set(list)]);

export const createTopicBody = z.object({
  kind: z.enum(KINDS, { message: `Choose one of: ${KINDS.join(", ")}.` }),
  title,
  /** Markdown. */
  body,
  categoryId: z.number().int().positive().max(LIMITS.idMax).nullable().optional(),
  tags: tags.default([]),
});

/**
 * The version an edit started from: the post's `editedAt` as read (null when never edited). Given, an edit
 * of a post changed since is refused (409) rather than silently undoing that change.
 */
const baseEditedAt = z.string().max(40).nullable().optional();

export const editTopicBody = z
  .object({ title: title.optional(), body: body.optional(), tags: tags.optional(), baseEditedAt })
  .refine((v) => v.title !== undefined || v.body !== undefined || v.tags !== undefined, {
    message: "Nothing to change.",
  });

export const postBody = z.object({ body });
export const editReplyBody = postBody.extend({ baseEditedAt });
export const commentBody = z.object({
  body: body.max(LIMITS.commentMax, `Use at most ${LIMITS.commentMax} characters.`),
});

export const voteBody = z.object({
  /** 1 up, -1 down, 0 withdraws the vote. */
  value: z.union([z.literal(1), z.literal(-1), z.literal(0)], { message: "Use 1, -1 or 0." }),
});

export const acceptBody = z.object({ replyId: z.number().int().positive().max(LIMITS.idMax) });

export const listTopicsQuery = z.object({
  kind: z.enum(KINDS).optional(),
  /** Category id or slug. */
  category: z.string().trim().max(64).optional(),
  tag: tag.optional(),
  status: z.enum(STATUSES).optional(),
  sort: z.enum(SORTS).default("activity"),
  /** Opaque cursor from the previous page's nextCursor. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(LIMITS.pageSize),
});

export type CreateTopicInput = z.infer<typeof createTopicBody>;
export type EditTopicInput = z.infer<typeof editTopicBody>;
export type ListTopicsInput = z.infer<typeof listTopicsQuery>;

/** Pages of one topic (or reply) in a community: `/c/:slug/t/:id`. */
export const topicParams = slugParams.extend({ id: idParams.shape.id });
