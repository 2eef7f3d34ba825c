import { html, type Html } from "./html.ts";

/**
 * Faces beside names: one component for every place a member's name appears (topics, replies,
 * lists, profiles, helper cards, notifications, the header). An uploaded avatar is stored in a few
 * square sizes under one key stem; without one, the member's initials on a colour of their own.
 */

/** The stored sizes of an avatar, in pixels (square WebP files `<stem>-<size>.webp`). */
export const AVATAR_SIZES = [64, 128, 256] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];

export const avatarFileKey = (stem: string, size: AvatarSize) => `${stem}-${size}.webp`;

/** The URL of one size of an uploaded avatar; null without one. */
export function avatarUrl(stem: string | null | undefined, size: AvatarSize = 128): string | null {
  return stem ? `/uploads/${avatarFileKey(stem, size)}` : null;
}

/** What the component needs: the name (for initials and the colour) and the image, if any. */
export interface Face {
  name: string;
  avatarUrl?: string | null;
}

/** How large a face is shown: beside a byline, in a list, on a card, on a profile. */
export type FaceSize = "s" | "m" | "l" | "xl";
const PIXELS: Record<FaceSize, number> = { s: 24, m: 40, l: 72, xl: 128 };
/** Colours of initials (classes in app.css): eight, picked from the name so a member keeps theirs. */
const HUES = 8;

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => Array.from(w)[0]?.toUpperCase() ?? "").join("") || "?";
}

function hueOf(name: string): number {
  let sum = 0;
  for (const ch of name) sum = (sum * 31 + (ch.codePointAt(0) ?? 0)) % 9973;
  return sum % HUES;
}

/** A member's face; decorative (alt=""): the name is always written beside it. */
export function avatar(face: Face, size: FaceSize = "s"): Html {
  const px = PIXELS[size];
  return face.avatarUrl
    ? html`<img class="face face-${size}" src="${face.avatarUrl}" alt="" width="${px}" height="${px}"
  loading="lazy">`
    : html`<span class="face face-${size} face-hue-${hueOf(face.name)}" aria-hidden="true">${initialsOf(
        face.name,
      )}</span>`;
}
