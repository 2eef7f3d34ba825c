/**
 * Where attached images live and how their addresses read: `/uploads/attachments/HASH-WxH.webp`
 * (the full image, at most FULL_SIDE pixels a side) next to `HASH-WxH-thumb.webp` (at most
 * THUMB_SIDE). The size is in the name, so rendering Markdown needs no query to write width and
 * height, and a post's attached images can be told from external ones by address alone.
 */

export const ATTACHMENT_PREFIX = "/uploads/attachments/";
export const FULL_SIDE = 2048;
export const THUMB_SIDE = 640;

const ADDRESS = /^\/uploads\/attachments\/([a-f0-9]{32})-(\d{1,5})x(\d{1,5})\.webp$/;

export interface AttachedImage {
  /** The full image's storage key. */
  key: string;
  thumbKey: string;
  width: number;
  height: number;
}

/** The size a picture of width × height fits in a square of `side` pixels (never enlarged). */
export function fitInside(width: number, height: number, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / width, side / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

const THUMB_SUFFIX = "-thumb.webp";

export function attachedImage(hash: string, width: number, height: number): AttachedImage {
  const stem = `attachments/${hash}-${width}x${height}`;
  return { key: `${stem}.webp`, thumbKey: `${stem}${THUMB_SUFFIX}`, width, height };
}

export const attachmentUrl = (key: string) => `/uploads/${key}`;

/**
 * The `attachments` rows' key that governs a stored file: the full image's key, for the image and
 * for its thumbnail (rows record only the full key). Null for keys outside attachments/ (avatars,
 * marketplace photos); any key inside it is governed, so a file there is never served without a row.
 */
export function attachmentRowKey(key: string): string | null {
  if (!attachmentUrl(key).startsWith(ATTACHMENT_PREFIX)) return null;
  return key.endsWith(THUMB_SUFFIX) ? `${key.slice(0, -THUMB_SUFFIX.length)}.webp` : key;
}

/** The attached image an address names, or null for any other address (external images). */
export function parseAttachmentUrl(url: string): AttachedImage | null {
  const match = ADDRESS.exec(url);
  if (!match) return null;
  const width = Number(match[2]);
  const height = Number(match[3]);
  if (width < 1 || height < 1) return null;
  return attachedImage(match[1], width, height);
}
