import { createHash } from "node:crypto";
import sharp, { type Metadata } from "sharp";
import type { Deps } from "../core/deps.ts";
import { validationFailed } from "../core/errors.ts";
import { storageFor } from "../storage/storage.ts";
import { AVATAR_SIZES, type AvatarSize, avatarFileKey } from "../web/avatar.ts";

/** Uploaded avatars: checked by content, re-encoded square in a few sizes, metadata dropped. */

export const AVATAR_LIMITS = {
  /** Largest upload accepted. */
  bytes: 5 * 1024 * 1024,
  /** Largest image accepted, in pixels (width × height), whatever its file size (decompression bombs). */
  pixels: 25_000_000,
};
const ACCEPTED = new Set(["jpeg", "png", "webp", "gif"]);

/**
 * Re-encodes an image as square WebP files of every avatar size (EXIF, GPS and colour profiles
 * are not copied) and stores them under a stem named by their content. Returns the stem.
 * Not an image, too large a file or too many pixels: 422 on `avatar`.
 */
export async function storeAvatarImage(config: { dataDir: string }, bytes: Buffer, truncated = false): Promise<string> {
  if (truncated || bytes.length > AVATAR_LIMITS.bytes)
    throw validationFailed({ avatar: "The image is too large (at most 5 MB)." });
  if (bytes.length === 0) throw validationFailed({ avatar: "Choose an image." });
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw validationFailed({ avatar: "The file must be a JPEG, PNG, WebP or GIF image." });
  }
  if (!metadata.format || !ACCEPTED.has(metadata.format))
    throw validationFailed({ avatar: "The file must be a JPEG, PNG, WebP or GIF image." });
  if ((metadata.width ?? 0) * (metadata.height ?? 0) > AVATAR_LIMITS.pixels)
    throw validationFailed({ avatar: "The image has too many pixels (at most 25 megapixels)." });
  let files: { size: AvatarSize; data: Buffer }[];
  try {
    const source = sharp(bytes, { limitInputPixels: AVATAR_LIMITS.pixels, failOn: "error" }).rotate();
    files = await Promise.all(
      AVATAR_SIZES.map(async (size) => ({
        size,
        data: await source.clone().resize(size, size, { fit: "cover" }).webp({ quality: 82 }).toBuffer(),
      })),
    );
  } catch {
    throw validationFailed({ avatar: "The image could not be read." });
  }
  const hash = createHash("sha256")
    .update(files[files.length - 1].data)
    .digest("hex")
    .slice(0, 32);
  const stem = `avatars/${hash}`;
  const storage = storageFor(config);
  for (const file of files) await storage.put(avatarFileKey(stem, file.size), file.data, "image/webp");
  return stem;
}

/** Files of a stem no member uses any more are removed (two members may upload the same picture). */
export async function removeAvatarFiles(deps: Deps, stem: string | null): Promise<void> {
  if (!stem) return;
  const still = await deps.db.selectFrom("users").select("id").where("avatarKey", "=", stem).executeTakeFirst();
  if (still) return;
  const storage = storageFor(deps.config);
  for (const size of AVATAR_SIZES) await storage.delete(avatarFileKey(stem, size));
}

/** Sets (or with null removes) the member's avatar; the old files go when nobody uses them. */
export async function setAvatar(deps: Deps, userId: number, stem: string | null): Promise<void> {
  const before = await deps.db.selectFrom("users").select("avatarKey").where("id", "=", userId).executeTakeFirst();
  await deps.db.updateTable("users").set({ avatarKey: stem }).where("id", "=", userId).execute();
  if (before?.avatarKey && before.avatarKey !== stem) await removeAvatarFiles(deps, before.avatarKey);
}
