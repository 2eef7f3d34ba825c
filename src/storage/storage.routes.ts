import type { FastifyInstance } from "fastify";
import type { Deps } from "../core/deps.ts";
import { notFound } from "../core/errors.ts";
import { attachmentRowKey } from "../lib/attachments.ts";
import { attachmentAudience } from "./attachment-access.ts";
import { storageFor } from "./storage.ts";

/** Keys name their content (a hash), so a response never changes: anyone's copy may be kept for a year. */
const FOR_EVERYONE = "public, max-age=31536000, immutable";
/**
 * An image a private community holds, fetched by one of its readers: only their browser keeps it, for
 * an hour, so a reader who leaves the community stops seeing it soon after.
 */
const FOR_THE_VIEWER = "private, max-age=3600";

/**
 * Uploaded files by key. An attached image (attachments/...) is served only to whoever may read one of
 * the communities it was uploaded in, else 404 as for an unknown key; avatars and marketplace photos
 * are public (test/storage/private-attachments.test.ts).
 */
export function registerUploadRoutes(app: FastifyInstance, deps: Deps): void {
  app.get("/uploads/*", async (req, reply) => {
    const key = (req.params as { "*": string })["*"];
    const rowKey = attachmentRowKey(key);
    const audience = rowKey === null ? "everyone" : await attachmentAudience(deps.db, rowKey, req.actor);
    const file = audience && (await storageFor(deps.config).get(key));
    if (!file) throw notFound("File");
    // The answer depends on who asks: a cache keeps it per session cookie or token.
    if (audience === "viewer") reply.header("vary", "Cookie, Authorization");
    return reply
      .header("cache-control", audience === "everyone" ? FOR_EVERYONE : FOR_THE_VIEWER)
      .header("x-content-type-options", "nosniff")
      .type(file.type)
      .send(file.bytes);
  });
}
