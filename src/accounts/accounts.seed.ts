import type { Deps } from "../core/deps.ts";
import { loadSharp } from "../storage/images.ts";
import { storeAvatarImage } from "./accounts.avatars.ts";

/** Background and figure colours of the demo's avatars, a pair per member in turn. */
const PALETTE = [
  ["#dbeafe", "#1d4ed8"],
  ["#dcfce7", "#15803d"],
  ["#fae8ff", "#a21caf"],
  ["#ffedd5", "#c2410c"],
  ["#e0f2fe", "#0369a1"],
  ["#fef9c3", "#a16207"],
  ["#fce7f3", "#be185d"],
  ["#ede9fe", "#6d28d9"],
] as const;

/** A head-and-shoulders silhouette on a colour of its own: a real image, stored as an upload would be. */
function portrait(index: number): Buffer {
  const [background, figure] = PALETTE[index % PALETTE.length];
  const tilt = (index * 37) % 40;
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320">
<rect width="320" height="320" fill="${background}"/>
<circle cx="${140 + tilt}" cy="128" r="64" fill="${figure}"/>
<ellipse cx="160" cy="330" rx="120" ry="110" fill="${figure}"/></svg>`);
}

/** Gives each of these members an avatar, made and stored as an upload would be. */
export async function seedDemoAvatars(deps: Deps, userIds: readonly number[]): Promise<void> {
  const sharp = await loadSharp();
  for (const [index, userId] of userIds.entries()) {
    const image = await sharp(portrait(index)).png().toBuffer();
    const stem = await storeAvatarImage(deps.config, image);
    await deps.db.updateTable("users").set({ avatarKey: stem }).where("id", "=", userId).execute();
  }
}
