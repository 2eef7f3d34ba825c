import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import type { Encoding } from "../core/page-cache.ts";
import { compress, MIN_COMPRESSED_BYTES, preferredEncoding } from "./compression.ts";

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** A static file served under its content hash, so it can be cached for a year. */
export interface Asset {
  url: string;
  body: Buffer;
  type: string;
}

/** Reads a file once (a URL next to the calling module: `new URL("./x.css", import.meta.url)`). */
export function defineAsset(file: URL): Asset {
  const filePath = fileURLToPath(file);
  const body = fs.readFileSync(filePath);
  const hash = crypto.createHash("sha256").update(body).digest("hex").slice(0, 10);
  const ext = path.extname(filePath);
  return {
    url: `/assets/${path.basename(filePath, ext)}.${hash}${ext}`,
    body,
    type: TYPES[ext] ?? "application/octet-stream",
  };
}

/** The web kit's own assets (the base stylesheet and script), by file name. */
const kitAssets = new Map(
  fs
    .readdirSync(new URL("./assets", import.meta.url))
    .map((name) => [name, defineAsset(new URL(`./assets/${name}`, import.meta.url))]),
);

export function assetUrl(name: string): string {
  const asset = kitAssets.get(name);
  if (!asset) throw new Error(`Unknown asset ${name}`);
  return asset.url;
}

/** Serves the kit's assets and those the domains define, each compressed once here (brotli, gzip). */
export function registerAssets(app: FastifyInstance, domainAssets: readonly Asset[]): void {
  for (const asset of [...kitAssets.values(), ...domainAssets]) {
    const worth = asset.body.length >= MIN_COMPRESSED_BYTES && /^text\/|svg/.test(asset.type);
    const bodies: Record<Encoding, Buffer> = {
      identity: asset.body,
      br: worth ? compress(asset.body, "br", "static") : asset.body,
      gzip: worth ? compress(asset.body, "gzip", "static") : asset.body,
    };
    app.get(asset.url, async (req, reply) => {
      const encoding = worth ? preferredEncoding(req.headers["accept-encoding"]) : "identity";
      reply.header("cache-control", "public, max-age=31536000, immutable").header("vary", "Accept-Encoding");
      if (encoding !== "identity") reply.header("content-encoding", encoding);
      return reply.type(asset.type).send(bodies[encoding]);
    });
  }
}
