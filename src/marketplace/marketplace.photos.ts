import { createHash } from "node:crypto";
import type { Deps } from "../core/deps.ts";
import { validationFailed } from "../core/errors.ts";
import { loadSharp } from "../storage/images.ts";
import { storageFor } from "../storage/storage.ts";
import { MARKET_LIMITS } from "./marketplace.schema.ts";

const ACCEPTED = new Set(["jpeg", "png", "webp"]);
/** Profile photos are stored square, this many pixels wide, as WebP. */
const SIZE = 480;
/** The key storePhoto gives a photo (an archive's rows are checked against it). */
export const HELPER_PHOTO_KEY = /^helpers\/[0-9a-f]{32}\.webp$/;

/**
 * Checks that the bytes are a JPEG, PNG or WebP image (by content, not by name or declared type),
 * re-encodes it (dropping metadata such as GPS position), resizes it, and stores it under a key
 * derived from its content. Returns the key.
 */
export async function storePhoto(config: { dataDir: string }, bytes: Buffer, field = "photo"): Promise<string> {
  if (bytes.length === 0) throw validationFailed({ [field]: "Choose a photo." });
  if (bytes.length > MARKET_LIMITS.photoBytes)
    throw validationFailed({ [field]: "The photo is too large (at most 5 MB)." });
  const sharp = await loadSharp();
  let output: Buffer;
  try {
    const image = sharp(bytes, { limitInputPixels: 50_000_000, failOn: "error" });
    const { format } = await image.metadata();
    if (!format || !ACCEPTED.has(format)) throw new Error("unsupported format");
    output = await image.rotate().resize(SIZE, SIZE, { fit: "cover" }).webp({ quality: 82 }).toBuffer();
  } catch {
    throw validationFailed({ [field]: "The photo must be a JPEG, PNG or WebP image." });
  }
  const key = `helpers/${createHash("sha256").update(output).digest("hex").slice(0, 32)}.webp`;
  await storageFor(config).put(key, output, "image/webp");
  return key;
}

/**
 * Photos are stored by content, so helpers with the same picture share one file (and two racing
 * submissions store it twice): it is deleted only once no helper's row names it.
 */
export async function deletePhotoIfUnused(deps: Pick<Deps, "db" | "config">, key: string): Promise<void> {
  const used = await deps.db.selectFrom("helpers").select("id").where("photoKey", "=", key).executeTakeFirst();
  if (!used) await storageFor(deps.config).delete(key);
}

export const photoUrl = (key: string) => `/uploads/${key}`;
