import { slugify } from "./slug.ts";

/**
 * A member's handle: the unique name @mentions use, stored lowercase so "@AliceMartin" and
 * "@alicemartin" are the same. 2 to 30 of a-z, 0-9, "_", "." and "-", starting and ending with a
 * letter, digit or "_" (so the full stop after "@alice." in a sentence is not part of it).
 */
export const HANDLE_MIN = 2;
export const HANDLE_MAX = 30;
export const HANDLE_PATTERN = /^[a-z0-9_](?:[a-z0-9_.-]{0,28})[a-z0-9_]$/;
/** A handle when a name has too few letters or digits to make one ("李", "?"). */
const FALLBACK = "member";

export function isHandle(text: string): boolean {
  return HANDLE_PATTERN.test(text);
}

/**
 * The handle a name suggests: its letters and digits, diacritics folded, lowercase
 * ("Zoë Müller-Lang" -> "zoemullerlang"), at most HANDLE_MAX characters. A name that is a handle
 * already (an archived member's, "j.doe") is kept as it is.
 */
export function handleBase(name: string): string {
  if (isHandle(name)) return name;
  const base = slugify(name, Number.MAX_SAFE_INTEGER).replace(/-/g, "").slice(0, HANDLE_MAX);
  return base.length >= HANDLE_MIN ? base : FALLBACK;
}

/** The n-th candidate for a base: the base itself, then base2, base3 ... cut to fit HANDLE_MAX. */
export function handleCandidate(base: string, n: number): string {
  if (n < 2) return base;
  const suffix = String(n);
  return `${base.slice(0, HANDLE_MAX - suffix.length)}${suffix}`;
}

/**
 * The first free handle for each base, in order, given the handles taken already: the backfill's
 * and the allocator's one rule (alicemartin, alicemartin2, alicemartin3 ...).
 */
export function firstFreeHandle(base: string, taken: (handle: string) => boolean): string {
  for (let n = 1; ; n++) {
    const candidate = handleCandidate(base, n);
    if (!taken(candidate)) return candidate;
  }
}

/**
 * A mention is @ followed by a member's unique handle, e.g. @alicemartin, in any case: "@AliceMartin"
 * is the same. Letters with diacritics fold as in handles ("@Zoë" -> zoe). A full stop or hyphen
 * after it ends the sentence, not the handle. Group 1 is what follows the @.
 */
export const MENTION = /(?:^|[^\w@])@([\p{L}\p{N}_.-]{2,64})/gu;

/** The handle a mention names, or null when it cannot be one (too long, other characters). */
export function mentionedHandle(token: string): string | null {
  const handle = token
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[.-]+$/, "");
  return handle.length <= HANDLE_MAX && isHandle(handle) ? handle : null;
}
