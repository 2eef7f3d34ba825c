import { createHash } from "node:crypto";
import type { RateLimit } from "../core/config.ts";
import type { Deps } from "../core/deps.ts";
import { notFound } from "../core/errors.ts";
import { storageFor } from "../storage/storage.ts";
import { encodeImage, readImage, type ImageLimits } from "../storage/images.ts";
import { AVATAR_SIZES, type AvatarSize, avatarFileKey } from "../web/avatar.ts";

/** Uploaded avatars: checked by content, re-encoded square in a few sizes, metadata dropped. */

export const AVATAR_LIMITS: ImageLimits = { bytes: 5 * 1024 * 1024, pixels: 25_000_000 };
/** Uploads per member and hour: each one is decoded and re-encoded in three sizes. */
export const AVATAR_RATE_LIMIT: RateLimit = { max: 10, windowMs: 60 * 60_000 };
/** The stem storeAvatarImage names a member's avatar files by (an archive's rows are checked against it). */
export const AVATAR_STEM = /^avatars\/[0-9a-f]{32}$/;

/**
 * Re-encodes an image as square WebP files of every avatar size (EXIF, GPS and colour profiles
 * are not copied) and stores them under a stem named by their content. Returns the stem.
 * Not an image, too large a file or too many pixels: 422 on `avatar`.
 */
export async function storeAvatarImage(config: { dataDir: string }, bytes: Buffer, truncated = false): Promise<string> {
  const { image } = await readImage(bytes, truncated, "avatar", AVATAR_LIMITS);
  const files = await Promise.all(
    AVATAR_SIZES.map(async (size: AvatarSize) => ({
      size,
      data: await encodeImage("avatar", () =>
        image.clone().resize(size, size, { fit: "cover" }).webp({ quality: 82 }).toBuffer(),
      ),
    })),
  );
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

/**
 * Sets (or with null removes) the member's avatar; the old files go when nobody uses them. An account
 * deleted while its upload was being processed keeps none (404): a deleted member shows no picture.
 */
export async function setAvatar(deps: Deps, userId: number, stem: string | null): Promise<void> {
  const before = await deps.db.selectFrom("users").select("avatarKey").where("id", "=", userId).executeTakeFirst();
  const updated = await deps.db
    .updateTable("users")
    .set({ avatarKey: stem })
    .where("id", "=", userId)
    .where("deletedAt", "is", null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await removeAvatarFiles(deps, stem);
    throw notFound("Account");
  }
  if (before?.avatarKey && before.avatarKey !== stem) await removeAvatarFiles(deps, before.avatarKey);
}
