import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";

const ASSET_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "assets");
const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

interface Asset {
  url: string;
  body: Buffer;
  type: string;
}

/** Static assets are read once and served under a content hash, so they can be cached for a year. */
const assets = new Map<string, Asset>();
for (const name of fs.readdirSync(ASSET_DIR)) {
  const body = fs.readFileSync(path.join(ASSET_DIR, name));
  const hash = crypto.createHash("sha256").update(body).digest("hex").slice(0, 10);
  const ext = path.extname(name);
  assets.set(name, {
    url: `/assets/${path.basename(name, ext)}.${hash}${ext}`,
    body,
    type: TYPES[ext] ?? "application/octet-stream",
  });
}

export function assetUrl(name: string): string {
  const asset = assets.get(name);
  if (!asset) throw new Error(`Unknown asset ${name}`);
  return asset.url;
}

export function registerAssets(app: FastifyInstance): void {
  for (const asset of assets.values()) {
    app.get(asset.url, async (_req, reply) =>
      reply.header("cache-control", "public, max-age=31536000, immutable").type(asset.type).send(asset.body),
    );
  }
}
