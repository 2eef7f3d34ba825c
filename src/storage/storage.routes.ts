import type { FastifyInstance } from "fastify";
import type { Deps } from "../core/deps.ts";
import { notFound } from "../core/errors.ts";
import { storageFor } from "./storage.ts";

/** Uploaded files by key. Keys name their content (a hash), so a response never changes: cache it for a year. */
export function registerUploadRoutes(app: FastifyInstance, deps: Deps): void {
  app.get("/uploads/*", async (req, reply) => {
    const key = (req.params as { "*": string })["*"];
    const file = await storageFor(deps.config).get(key);
    if (!file) throw notFound("File");
    return reply
      .header("cache-control", "public, max-age=31536000, immutable")
      .header("x-content-type-options", "nosniff")
      .type(file.type)
      .send(file.bytes);
  });
}
