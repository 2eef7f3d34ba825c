import { z } from "zod";
import { LIMITS } from "../core/config.ts";
import { recordId } from "../http/api.ts";
import { KINDS, STATUSES, tag } from "../topics/index.ts";
import { body as markdownBody, title as topicTitle } from "../topics/index.ts";

/** Shared limits of the search domain (forms and API). */
export const SEARCH_LIMITS = {
  /** Longer query parameters are refused (422); anything past QUERY_CHARS_MAX is ignored anyway. */
  queryInputMax: 10_000,
  pageSize: 20,
  pageSizeMax: 50,
  /** Deepest result reachable by paging: relevance past this is noise. */
  offsetMax: 1_000,
  similarDefault: 5,
  similarMax: 10,
  articleTitleMax: LIMITS.titleMax,
} as const;

/** An optional filter: an empty value (as a GET form sends it) means "any". */
const optionalFilter = <T extends z.ZodType>(schema: T) =>
  z
    .union([z.literal(""), schema])
    .optional()
    .transform((value) => (value === "" ? undefined : (value as z.output<T> | undefined)));

export const searchQuery = z.object({
  /**
   * Words to find. Fewer than two letters or digits give an empty result (200), not an error. Only the first 300
   * characters count.
   */
  q: z.string().max(SEARCH_LIMITS.queryInputMax, "The query is too long.").default(""),
  /** question, idea, problem or praise; leaves articles out. */
  kind: optionalFilter(z.enum(KINDS, { message: `Choose one of: ${KINDS.join(", ")}.` })),
  /** open, answered or solved; articles count as solved. */
  status: optionalFilter(z.enum(STATUSES, { message: `Choose one of: ${STATUSES.join(", ")}.` })),
  tag: optionalFilter(tag),
  /** Category id or slug. */
  category: optionalFilter(z.string().trim().max(64)),
  /** Opaque cursor from the previous page's nextCursor. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(SEARCH_LIMITS.pageSizeMax).default(SEARCH_LIMITS.pageSize),
});

export const similarQuery = z.object({
  /** The title being typed; without words, the answer is an empty list. */
  title: z.string().max(SEARCH_LIMITS.queryInputMax).default(""),
  /** The body so far (optional); its first 2,000 characters help. */
  body: z.string().max(LIMITS.bodyMax).default(""),
  limit: z.coerce.number().int().min(1).max(SEARCH_LIMITS.similarMax).default(SEARCH_LIMITS.similarDefault),
});

export const duplicateBody = z.object({
  /** Id of the original topic, in the same community. */
  of: z.number().int().positive("Unknown topic.").max(LIMITS.idMax, "Unknown topic."),
});

const categoryId = z.number().int().positive().max(LIMITS.idMax).nullable().optional();

export const createArticleBody = z
  .object({
    /** Defaults to the source topic's title. */
    title: topicTitle.optional(),
    /** Markdown; defaults to the source topic's question and accepted answer. */
    body: markdownBody.optional(),
    categoryId,
    /** A solved topic of the community to promote. */
    sourceTopicId: z.number().int().positive().max(LIMITS.idMax).optional(),
  })
  .refine((v) => v.sourceTopicId !== undefined || (v.title !== undefined && v.body !== undefined), {
    message: "Give a title and a body, or a solved topic to promote.",
    path: ["title"],
  });

export const editArticleBody = z
  .object({ title: topicTitle.optional(), body: markdownBody.optional(), categoryId })
  .refine((v) => v.title !== undefined || v.body !== undefined || v.categoryId !== undefined, {
    message: "Nothing to change.",
  });

export const listArticlesQuery = z.object({
  cursor: recordId().optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(LIMITS.pageSize),
});

export const DEFLECTION_TYPES = [
  "search_shown",
  "suggestion_shown",
  "suggestion_opened",
  "result_opened",
  "topic_posted",
] as const;
/** A random id the browser makes for one visit: 8-64 letters, digits, - or _. */
export const visitId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "Use 8-64 letters, digits, - or _.");

export const deflectionEventBody = z.object({
  type: z.enum(DEFLECTION_TYPES, { message: `Choose one of: ${DEFLECTION_TYPES.join(", ")}.` }),
  visitId,
  /**
   * The deflectionToken of the search (`deflectionToken` in its response) or the similar
   * questions (`X-Deflection-Token` header) that was shown: proof of a real visit, valid 2 hours.
   */
  token: z.string({ message: "Echo the token of the search or suggestions shown." }).min(1).max(1000),
  /** The suggestion or result opened, or the topic posted. */
  topicId: z.number().int().positive().max(LIMITS.idMax).optional(),
  /** A knowledge base article opened from a suggestion or result. */
  articleId: z.number().int().positive().max(LIMITS.idMax).optional(),
});

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.")
  .refine((v) => {
    const ms = Date.parse(`${v}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === v;
  }, "Not a date.");

export const deflectionStatsQuery = z.object({
  /** First day (UTC), inclusive; 29 days before `to` unless set. */
  from: day.optional(),
  /** Last day (UTC), inclusive; today unless set. */
  to: day.optional(),
});

export type SearchInput = z.infer<typeof searchQuery>;
export type SimilarInput = z.infer<typeof similarQuery>;
export type CreateArticleInput = z.infer<typeof createArticleBody>;
export type EditArticleInput = z.infer<typeof editArticleBody>;
export type DeflectionEventInput = z.infer<typeof deflectionEventBody>;
