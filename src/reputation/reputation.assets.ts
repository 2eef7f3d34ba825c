import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";

/**
 * trust.css (ranks, champions, badges, rewards, moderation notices and the review queue), read
 * once and served under its content hash so it can be cached for a year.
 */
const source = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "trust.css"));
const url = `/assets/trust.${crypto.createHash("sha256").update(source).digest("hex").slice(0, 10)}.css`;

export function trustStylesheetUrl(): string {
  return url;
}

export function registerTrustAssets(app: FastifyInstance): void {
  app.get(url, async (_req, reply) =>
    reply.header("cache-control", "public, max-age=31536000, immutable").type("text/css; charset=utf-8").send(source),
  );
}
