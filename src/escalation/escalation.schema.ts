import { z } from "zod";
import { LIMITS } from "../core/config.ts";
import { recordId } from "../http/api.ts";
import { body } from "../topics/index.ts";

export const webhookBody = z.object({
  /** Where escalations are POSTed (http or https). */
  url: z.url({ protocol: /^https?$/, message: "Use an http:// or https:// address." }).max(2000),
  /** HMAC-SHA256 key of the X-Crowdservice-Signature header; generated when absent (and kept on later changes). */
  secret: z.string().min(16, "Use at least 16 characters.").max(200).optional(),
  /** false pauses deliveries (nothing is recorded while paused). */
  active: z.boolean().optional(),
  /** A receiver that has not answered after this many seconds counts as failed, and the delivery is retried. */
  timeoutSeconds: z.number().int().min(1).max(30).optional(),
});

export const escalateBody = z.object({
  /** Why, for the audit log. */
  note: z.string().trim().max(500).optional(),
});

export const assignBody = z.object({
  /** A staff member of the community, or null to unassign. */
  userId: z.number().int().positive().max(LIMITS.idMax).nullable(),
});

export const noteBody = z.object({ body: body.max(5000, "Use at most 5000 characters.") });

/**
 * Resolving a case is a choice: a public resolution (an official reply the asker is told of,
 * optionally accepted as the solution) or a private closure with a reason (kept with the case;
 * the asker is told that support handled it privately).
 */
export const resolveBody = z.discriminatedUnion(
  "resolution",
  [
    z.object({
      resolution: z.literal("public"),
      /** The official reply, in Markdown. */
      body,
      /** Also accept the reply as the solution (questions and problems). */
      accept: z.boolean().optional(),
    }),
    z.object({
      resolution: z.literal("private"),
      /** Why it was closed privately (internal, kept with the case). */
      reason: z.string().trim().min(1, "Write why the case is closed privately.").max(2000),
    }),
  ],
  { message: 'Choose "public" (with a body) or "private" (with a reason).' },
);

export type ResolveInput = z.infer<typeof resolveBody>;

export const HELPDESK_EVENTS = ["ticket.linked", "ticket.status", "ticket.reply", "ticket.closed"] as const;

const shortText = (max: number) => z.string().trim().min(1).max(max);

/** What a help desk posts to the signed incoming endpoint. */
export const helpdeskEventBody = z
  .object({
    type: z.enum(HELPDESK_EVENTS, { message: `Use one of: ${HELPDESK_EVENTS.join(", ")}.` }),
    topicId: z.number().int().positive().max(LIMITS.idMax),
    /** The help desk's own id of the ticket, e.g. "4711". */
    ticketId: z.union([shortText(100), z.number().int().nonnegative()]).transform(String),
    /** Where staff open the ticket in the help desk (ticket.linked). */
    ticketUrl: z
      .url({ protocol: /^https?$/, message: "Use an http:// or https:// address." })
      .max(2000)
      .optional(),
    /** The ticket's status in the help desk's words, e.g. "pending" (ticket.status). */
    status: shortText(100).optional(),
    /** The agent's public reply, in Markdown (ticket.reply). */
    body: body.optional(),
    /** Maps the reply to a staff account of the community; otherwise it is posted as the "Support team" account. */
    agentEmail: z.email().max(320).optional(),
    agentName: shortText(100).optional(),
    /** The reply solves the topic: it is accepted as the solution (ticket.reply). */
    solves: z.boolean().optional(),
  })
  .superRefine((event, ctx) => {
    if (event.type === "ticket.status" && !event.status)
      ctx.addIssue({ code: "custom", path: ["status"], message: "A ticket.status event names the status." });
    if (event.type === "ticket.reply" && !event.body)
      ctx.addIssue({ code: "custom", path: ["body"], message: "A ticket.reply event carries the body." });
  });

export type HelpdeskEvent = z.infer<typeof helpdeskEventBody>;

export const queueQuery = z.object({
  /** "me": assigned to the caller; "unassigned"; absent: all. */
  assignee: z.enum(["me", "unassigned"]).optional(),
});

export const deliveryParams = z.object({
  slug: z.string().min(1).max(64),
  deliveryId: recordId("Unknown delivery."),
});

export type WebhookInput = z.infer<typeof webhookBody>;
