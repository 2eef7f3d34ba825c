import { z } from "zod";
import { LIMITS } from "../core/config.js";
import { body } from "../topics/index.js";
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
export const resolveBody = z.object({
    /** What was done, kept with the case (internal). */
    resolution: z.string().trim().min(1, "Write what was done.").max(2000),
});
export const queueQuery = z.object({
    /** "me": assigned to the caller; "unassigned"; absent: all. */
    assignee: z.enum(["me", "unassigned"]).optional(),
});
export const deliveryParams = z.object({
    slug: z.string().min(1).max(64),
    deliveryId: z.coerce.number().int().positive("Unknown delivery.").max(LIMITS.idMax, "Unknown delivery."),
});
