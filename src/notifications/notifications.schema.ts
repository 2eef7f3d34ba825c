import { z } from "zod";
import { LIMITS } from "../core/config.ts";
import { CHANNELS } from "./notifications.kinds.ts";
import { recordId } from "../http/api.ts";

const booleanish = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1"),
]);

export const listNotificationsQuery = z.object({
  /** Only unread ones. */
  unread: booleanish.optional(),
  /** nextCursor of the previous page. */
  cursor: recordId().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const markReadBody = z
  .object({
    /** Notification ids to mark read. */
    ids: z.array(z.number().int().positive().max(LIMITS.idMax)).max(500).optional(),
    /** Mark every notification read. */
    all: z.literal(true).optional(),
    /** With `all`: only those up to this id (the newest one shown), not those that came since. */
    upTo: z.number().int().positive().max(LIMITS.idMax).optional(),
  })
  .refine((v) => v.all === true || (v.ids !== undefined && v.ids.length > 0), { message: "Send ids or all: true." });

const channel = z.enum(CHANNELS as [string, ...string[]]);

export const preferencesBody = z.object({
  /** Channel per kind: inapp, email, daily, weekly or off. */
  preferences: z.record(z.string(), channel),
});

export const eventsQuery = z.object({
  /** Also receive live updates of this topic (new replies, votes, solution). */
  topic: recordId().optional(),
});
