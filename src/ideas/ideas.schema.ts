import { z } from "zod";
import type { IdeaStatus } from "../db/schema.ts";
import type { MessageKey } from "../i18n/i18n.ts";

/** The pipeline of an idea, in the order the board shows it. */
export const IDEA_STATUSES = [
  "new",
  "under_review",
  "planned",
  "in_progress",
  "done",
  "declined",
] as const satisfies readonly IdeaStatus[];

/** The message key of a status's name. */
export const ideaStatusLabel = (status: IdeaStatus): MessageKey => `idea.status.${status}` as MessageKey;

export const IDEA_NOTE_MAX = 2000;

/** How many ideas of a status the board lists by default, and at most. */
export const IDEAS_LIMIT_DEFAULT = 100;
export const IDEAS_LIMIT_MAX = 200;
const IDEAS_OFFSET_MAX = 1_000_000;

export const ideaStatusBody = z.object({
  status: z.enum(IDEA_STATUSES, { message: `Choose one of: ${IDEA_STATUSES.join(", ")}.` }),
  /** Public note shown with the change on the idea's timeline. */
  note: z
    .string()
    .trim()
    .max(IDEA_NOTE_MAX, `Use at most ${IDEA_NOTE_MAX} characters.`)
    .optional()
    .transform((v) => v || undefined),
});

export const ideasQuery = z.object({
  status: z.enum(IDEA_STATUSES).optional(),
  /** Category id or slug. */
  category: z.string().trim().max(64).optional(),
  /** votes: most net votes first; recent: latest status change (or posting) first. */
  sort: z.enum(["votes", "recent"]).default("votes"),
  /** At most this many ideas in each status (one status with `status`); `counts` tells whether a status has more. */
  limit: z.coerce.number().int().min(1).max(IDEAS_LIMIT_MAX).default(IDEAS_LIMIT_DEFAULT),
  /** Skips this many ideas in each status: the next page of a status is `offset` + `limit`. */
  offset: z.coerce.number().int().min(0).max(IDEAS_OFFSET_MAX).default(0),
});

export type IdeaStatusInput = z.infer<typeof ideaStatusBody>;
export type IdeasQuery = z.infer<typeof ideasQuery>;
