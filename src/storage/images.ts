import type { Metadata, Sharp } from "sharp";
import { validationFailed } from "../core/errors.ts";

let sharpModule: Promise<typeof import("sharp")> | undefined;

/**
 * sharp, loaded with the first image rather than at start: libvips adds about 35 MB of resident
 * memory, which a process that never handles an image does not need.
 */
export async function loadSharp(): Promise<typeof import("sharp").default> {
  sharpModule ??= import("sharp");
  return (await sharpModule).default;
}

/** Checks every uploaded image goes through (avatars, attachments) before sharp re-encodes it. */

export interface ImageLimits {
  /** Largest upload accepted. */
  bytes: number;
  /** Largest image accepted, in pixels (width × height), whatever its file size (decompression bombs). */
  pixels: number;
}

const ACCEPTED = new Set(["jpeg", "png", "webp", "gif"]);

/**
 * Checks an upload by its content (not its name or declared type): a JPEG, PNG, WebP or GIF within
 * the limits, read from its header before any pixel is decoded. Returns a sharp pipeline turned
 * upright by its EXIF orientation; whatever it writes carries no EXIF, GPS or colour profile.
 * Anything else: 422 on `field`.
 */
export async function readImage(
  bytes: Buffer,
  truncated: boolean,
  field: string,
  limits: ImageLimits,
): Promise<{ image: Sharp; width: number; height: number }> {
  const megabytes = Math.round(limits.bytes / 1024 / 1024);
  if (truncated || bytes.length > limits.bytes)
    throw validationFailed({ [field]: `The image is too large (at most ${megabytes} MB).` });
  if (bytes.length === 0) throw validationFailed({ [field]: "Choose an image." });
  const sharp = await loadSharp();
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw validationFailed({ [field]: "The file must be a JPEG, PNG, WebP or GIF image." });
  }
  if (!metadata.format || !ACCEPTED.has(metadata.format))
    throw validationFailed({ [field]: "The file must be a JPEG, PNG, WebP or GIF image." });
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width * height > limits.pixels)
    throw validationFailed({
      [field]: `The image has too many pixels (at most ${Math.round(limits.pixels / 1_000_000)} megapixels).`,
    });
  // EXIF orientations 5 to 8 turn the picture a quarter: its upright size swaps width and height.
  const turned = (metadata.orientation ?? 1) >= 5;
  const image = sharp(bytes, { limitInputPixels: limits.pixels, failOn: "error" }).rotate();
  return { image, width: turned ? height : width, height: turned ? width : height };
}

/** Runs sharp's encoding; a file that only fails while decoding is refused like any unreadable image. */
export async function encodeImage(field: string, encode: () => Promise<Buffer>): Promise<Buffer> {
  try {
    return await encode();
  } catch {
    throw validationFailed({ [field]: "The image could not be read." });
  }
}
