import { createHash } from "node:crypto";
import { attachedImage, FULL_SIDE, fitInside, THUMB_SIDE, type AttachedImage } from "../lib/attachments.ts";
import { encodeImage, readImage, type ImageLimits } from "../storage/images.ts";
import { storageFor } from "../storage/storage.ts";

/** An attached image: checked by content, re-encoded as WebP (metadata dropped) in two sizes. */

export const ATTACHMENT_LIMITS: ImageLimits = { bytes: 8 * 1024 * 1024, pixels: 40_000_000 };
export const ATTACHMENT_FIELD = "image";

/** An image ready to store: its keys and sizes, and the bytes of both files. */
export interface EncodedAttachment extends AttachedImage {
  /** The full image's size in bytes. */
  bytes: number;
  files: { full: Buffer; thumb: Buffer };
}

/**
 * Re-encodes the image upright as WebP, at most FULL_SIDE pixels a side, plus a thumbnail of at
 * most THUMB_SIDE, named by their content's hash and the full size; nothing is stored yet.
 * Not an image, too large a file or too many pixels: 422 on `image`.
 */
export async function encodeAttachedImage(bytes: Buffer, truncated: boolean): Promise<EncodedAttachment> {
  const { image, width, height } = await readImage(bytes, truncated, ATTACHMENT_FIELD, ATTACHMENT_LIMITS);
  const full = fitInside(width, height, FULL_SIDE);
  const thumb = fitInside(width, height, THUMB_SIDE);
  const [fullData, thumbData] = await Promise.all(
    [full, thumb].map((size) =>
      encodeImage(ATTACHMENT_FIELD, () =>
        image.clone().resize(size.width, size.height, { fit: "fill" }).webp({ quality: 82 }).toBuffer(),
      ),
    ),
  );
  const hash = createHash("sha256").update(fullData).digest("hex").slice(0, 32);
  const named = attachedImage(hash, full.width, full.height);
  return { ...named, bytes: fullData.length, files: { full: fullData, thumb: thumbData } };
}

/** Writes both files to the upload storage (again, if an earlier upload of the picture did). */
export async function writeAttachedImage(config: { dataDir: string }, encoded: EncodedAttachment): Promise<void> {
  const storage = storageFor(config);
  await storage.put(encoded.key, encoded.files.full, "image/webp");
  await storage.put(encoded.thumbKey, encoded.files.thumb, "image/webp");
}
