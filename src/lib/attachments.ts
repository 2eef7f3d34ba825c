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

export function attachedImage(hash: string, width: number, height: number): AttachedImage {
  const stem = `attachments/${hash}-${width}x${height}`;
  return { key: `${stem}.webp`, thumbKey: `${stem}-thumb.webp`, width, height };
}

export const attachmentUrl = (key: string) => `/uploads/${key}`;

/** The attached image an address names, or null for any other address (external images). */
export function parseAttachmentUrl(url: string): AttachedImage | null {
  const match = ADDRESS.exec(url);
  if (!match) return null;
  const width = Number(match[2]);
  const height = Number(match[3]);
  if (width < 1 || height < 1) return null;
  return attachedImage(match[1], width, height);
}
