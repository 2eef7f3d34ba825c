import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";

/** similar.client.js, read once and served under its content hash so it can be cached for a year. */
const source = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "similar.client.js"));
const url = `/assets/search/similar.${crypto.createHash("sha256").update(source).digest("hex").slice(0, 10)}.js`;

export function similarScriptUrl(): string {
  return url;
}

export function registerSearchAssets(app: FastifyInstance): void {
  app.get(url, async (_req, reply) =>
    reply
      .header("cache-control", "public, max-age=31536000, immutable")
      .type("text/javascript; charset=utf-8")
      .send(source),
  );
}
