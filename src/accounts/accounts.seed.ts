import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Role, User } from "../db/schema.ts";
import { insertWithHandle } from "./accounts.handles.ts";
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

/**
 * A demo member: their account (made once per email, under a free handle; the name refreshed on a
 * second seeding) and their role in the community.
 */
export async function seedDemoMember(
  db: Db,
  community: { id: number; now: number; passwordHash: string },
  person: { email: string; name: string; role: Role },
): Promise<User> {
  const user = await insertWithHandle(db, person.name, (handle) =>
    db
      .insertInto("users")
      .values({
        email: person.email,
        name: person.name,
        handle,
        passwordHash: community.passwordHash,
        isPlatformAdmin: 0,
        locale: null,
        signupIp: null,
        createdAt: community.now,
      })
      .onConflict((oc) => oc.column("email").doUpdateSet({ name: person.name }))
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  await db
    .insertInto("memberships")
    .values({ communityId: community.id, userId: user.id, role: person.role, createdAt: community.now })
    .execute();
  return user;
}
