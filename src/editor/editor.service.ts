import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { transaction } from "../core/transaction.ts";
import { assertNotSuspended, type CommunityAccess } from "../access/access.ts";
import { assertMayParticipate } from "../access/participation.ts";
import { AppError, forbidden, unauthorized } from "../core/errors.ts";
import { attachmentUrl } from "../lib/attachments.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import { toOneLine } from "../lib/one-line.ts";
import { hitRateLimit } from "../lib/rate-limit.ts";
import { attachmentAllowance } from "./editor.policy.ts";
import { encodeAttachedImage, writeAttachedImage } from "./editor.images.ts";
import { lockRows } from "../db/row-locks.ts";
import { deleteAttachmentRow, lockAttachmentKey } from "../storage/attachment-keys.ts";
import { DAY_MS } from "../lib/durations.ts";

/** Previews per member per minute: the editor asks on each switch to the Preview tab. */
const PREVIEW_LIMIT = { max: 60, windowMs: 60_000 };
/**
 * Images a member may send to be decoded in ten minutes, in every community, refused ones included:
 * the allowance counts stored images only, and decoding (up to 40 megapixels) is the costly part.
 */
export const UPLOAD_ATTEMPTS = { max: 30, windowMs: 10 * 60_000 };

/** A post's text as it will read: the same Markdown pipeline (and sanitizing) as saved posts. */
export async function previewMarkdown(deps: Deps, access: CommunityAccess, body: string): Promise<{ html: string }> {
  if (!access.actor) throw unauthorized();
  await hitRateLimit(deps.db, `preview:${access.actor.id}`, PREVIEW_LIMIT, deps.clock.now());
  return { html: renderMarkdown(body) };
}

export interface AttachmentView {
  id: number;
  /** The full image. */
  url: string;
  thumbnailUrl: string;
  width: number;
  height: number;
  /** What the editor inserts: `![alt](url)`. */
  markdown: string;
}

/**
 * Image descriptions stay on one line (no control characters such as NUL, no bidi overrides: the
 * name comes from the client) and cannot close the Markdown brackets early; cut by characters, so
 * no half of an emoji is left.
 */
const altText = (name: string) =>
  Array.from(toOneLine(name.replace(/\.[a-z0-9]{2,5}$/i, "").replace(/[[\]\\]+/g, " ")))
    .slice(0, 100)
    .join("")
    .trim();

/**
 * Stores an image for a post in this community: the member must be allowed to take part (not
 * suspended or banned) and within today's allowance of their level (429 past it).
 */
export async function uploadAttachment(
  deps: Deps,
  access: CommunityAccess,
  upload: { bytes: Buffer; truncated: boolean; name: string },
): Promise<AttachmentView> {
  const actor = access.actor;
  if (!actor) throw unauthorized();
  assertNotSuspended(access);
  const allowance = attachmentAllowance(access);
  if (!allowance) throw forbidden("Join this community to attach images.");
  // An image is stored for a post: whoever may not post here (an unconfirmed email where the
  // community asks for one, a missing single sign-on) may not store one either.
  await assertMayParticipate(deps, access, "post");
  const now = deps.clock.now();
  const tooMany = () =>
    new AppError("rate_limited", `You can attach ${allowance.perDay} images a day here; try again tomorrow.`, {
      image: `At most ${allowance.perDay} images a day.`,
    });
  const uploadedToday = async (db: Db) => {
    const today = await db
      .selectFrom("attachments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ownerId", "=", actor.id)
      .where("communityId", "=", access.community.id)
      .where("createdAt", ">", now - DAY_MS)
      .executeTakeFirstOrThrow();
    return Number(today.n);
  };
  // A first look spares the image work past the allowance; the count that decides is taken again
  // under the member's lock with the insert, so uploads sent at once cannot all slip under it.
  if ((await uploadedToday(deps.db)) >= allowance.perDay) throw tooMany();
  await hitRateLimit(deps.db, `attachment:${actor.id}`, UPLOAD_ATTEMPTS, now).catch((error: unknown) => {
    if (!(error instanceof AppError) || error.code !== "rate_limited") throw error;
    throw new AppError(
      "rate_limited",
      "You sent too many images in a short time; wait a few minutes.",
      { image: "Too many images in a short time." },
      { key: "error.rateLimited" },
    );
  });
  const stored = await encodeAttachedImage(upload.bytes, upload.truncated);
  // The row reserves the upload before any file is written: a refused upload leaves nothing on disk,
  // and a sweep deleting an older row of the same picture (under the key's lock) either went first
  // (the files are written again below) or finds this row and keeps them.
  const row = await transaction(deps, async (tx) => {
    await lockRows(tx, "users", [actor.id]);
    if ((await uploadedToday(tx.db)) >= allowance.perDay) throw tooMany();
    await lockAttachmentKey(tx, stored.key);
    return tx.db
      .insertInto("attachments")
      .values({
        communityId: access.community.id,
        ownerId: actor.id,
        key: stored.key,
        width: stored.width,
        height: stored.height,
        bytes: stored.bytes,
        createdAt: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  });
  await writeAttachedImage(deps.config, stored).catch(async (error: unknown) => {
    // No files, no upload: the row goes (and any file written, unless another row holds it). If that
    // fails too, the orphan sweep deletes the row a day later.
    await deleteAttachmentRow(deps, { id: row.id, ...stored }).catch(() => undefined);
    throw error;
  });
  const url = attachmentUrl(stored.key);
  return {
    id: row.id,
    url,
    thumbnailUrl: attachmentUrl(stored.thumbKey),
    width: stored.width,
    height: stored.height,
    markdown: `![${altText(upload.name) || "image"}](${url})`,
  };
}
