import { z } from "zod";
import { LIMITS } from "../core/config.ts";
import { recordId, slugParams } from "../http/api.ts";
import { body, title } from "../topics/index.ts";
import { REVIEW_ACTIONS } from "./moderation.policy.ts";

const id = (what: string) => recordId(`Unknown ${what}.`);

const POST_TYPES = ["topic", "reply", "comment"] as const;
export const FLAG_REASONS = ["spam", "abuse", "off_topic", "other"] as const;

export const postParams = z.object({
  /** topic, reply or comment. */
  type: z.enum(POST_TYPES, { message: "Use topic, reply or comment." }),
  id: id("post"),
});

const reason = z.string().trim().max(500);

export const flagBody = z
  .object({
    reason: z.enum(FLAG_REASONS, { message: `Choose one of: ${FLAG_REASONS.join(", ")}.` }),
    /** What is wrong; required when the reason is "other". */
    text: z.string().trim().max(500).default(""),
  })
  .refine((v) => v.reason !== "other" || v.text.length > 0, {
    message: "Say what is wrong.",
    path: ["text"],
    params: { messageKey: "mod.flagTextRequired" },
  });

export const queueQuery = z.object({
  status: z.enum(["open", "approved", "hidden", "deleted"]).default("open"),
  /** The previous page's nextCursor. */
  before: id("item").optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const reviewParams = slugParams.extend({ id: id("review item") });

export const reviewBody = z.object({
  action: z.enum(REVIEW_ACTIONS, { message: `Choose one of: ${REVIEW_ACTIONS.join(", ")}.` }),
  /** Told to the author (required to warn). */
  reason: reason.optional(),
  /** For edit: the corrected text (and title, for a topic). */
  body: body.optional(),
  title: title.optional(),
});

export const hideBody = z.object({ reason: reason.default("") });

export const moveBody = z.object({ categoryId: z.number().int().positive().max(LIMITS.idMax).nullable() });
export const mergeBody = z.object({
  intoTopicId: z.number().int().positive().max(LIMITS.idMax),
  /**
   * Required (true) when the topic is less visible than the one it goes into (a private-scope,
   * champions-only, held or hidden topic into a more open one): its content becomes readable there.
   */
  confirmPublish: z.boolean().default(false),
});

export const memberParams = slugParams.extend({ userId: id("member") });

export const banBody = z.object({
  /** Why the member is banned; kept in the audit log. */
  reason: z.string().trim().min(3, "Give a reason for the ban.").max(500),
});

/** A version of a topic's or reply's edit history, 1 being the original. */
export const versionParams = z.object({ id: id("post"), version: id("version") });
export const versionPageParams = slugParams.extend(versionParams.shape);
export const redactBody = z.object({
  /** Why the version is erased; kept in the audit log. */
  reason: z.string().trim().min(3, "Say why the version is redacted.").max(500),
});

export const suspendBody = z.object({
  /** Length of the suspension. */
  days: z.number().int().min(1).max(3650),
  /** Shown to the member. */
  reason: z.string().trim().min(3, "Give a reason the member will see.").max(500),
});

export const warnBody = z.object({ reason: z.string().trim().min(3, "Say what the warning is about.").max(500) });

export const auditQuery = z.object({
  before: id("entry").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type ReviewInput = z.infer<typeof reviewBody>;
