import type { Deps } from "../core/deps.ts";
import type { Clock } from "../core/clock.ts";
import type { Db } from "../db/database.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { lockRows } from "../db/row-locks.ts";
import { AppError, fieldRefused } from "../core/errors.ts";
import { emit } from "../jobs/events.ts";
import { escapeHtml } from "../web/html.ts";
import { attachmentUrl, parseAttachmentUrl } from "../lib/attachments.ts";
import { storageFor } from "../storage/storage.ts";
import { confirmMember, hasPassword } from "./accounts.me.ts";
import { endSessionsAndTokens } from "./accounts.sessions.ts";
import { removeAvatarFiles } from "./accounts.avatars.ts";
import { toPublicUser } from "./accounts.service.ts";
import { allocateHandles } from "./accounts.handles.ts";
import { callOffJobRequests, cancelOpenBookingsOf, eraseCustomerContact } from "../marketplace/index.ts";
import { removeFollowsOf } from "../topics/index.ts";

/**
 * A member's data protection rights: a copy of everything about them (export), and leaving
 * (erasure). Both read or write the member's rows across the domains' tables in one place, so the
 * README's list of what is kept matches the code.
 */

/** The name a deleted member's posts, messages and reviews are credited to everywhere. */
export const DELETED_MEMBER = "Deleted member";

/** A deleted account's address: unique, and one no mail can reach (nor a password reset). */
export const deletedEmail = (userId: number) => `deleted-${userId}@deleted.invalid`;

/** Everything about the member, as one JSON document (GET /api/v1/me/export). */
export async function exportMyData(deps: Deps, userId: number) {
  const { db } = deps;
  const user = await db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
  const [memberships, topics, replies, comments, votes, pollVotes, follows] = await Promise.all([
    db.selectFrom("memberships").selectAll().where("userId", "=", userId).execute(),
    db.selectFrom("topics").selectAll().where("authorId", "=", userId).orderBy("id").execute(),
    db.selectFrom("replies").selectAll().where("authorId", "=", userId).orderBy("id").execute(),
    db.selectFrom("comments").selectAll().where("authorId", "=", userId).orderBy("id").execute(),
    db.selectFrom("votes").selectAll().where("userId", "=", userId).execute(),
    db.selectFrom("pollVotes").selectAll().where("userId", "=", userId).execute(),
    db.selectFrom("follows").selectAll().where("userId", "=", userId).execute(),
  ]);
  const [bookings, messages, reviews, helperProfiles, notifications, ledger, badges] = await Promise.all([
    db
      .selectFrom("bookings")
      .selectAll()
      .where((eb) => eb.or([eb("customerId", "=", userId), eb("helperId", "=", userId)]))
      .orderBy("id")
      .execute(),
    db.selectFrom("bookingMessages").selectAll().where("authorId", "=", userId).orderBy("id").execute(),
    db.selectFrom("reviews").selectAll().where("customerId", "=", userId).orderBy("id").execute(),
    db.selectFrom("helpers").selectAll().where("userId", "=", userId).execute(),
    db.selectFrom("notifications").selectAll().where("userId", "=", userId).orderBy("id").execute(),
    db.selectFrom("kudosEvents").selectAll().where("userId", "=", userId).orderBy("id").execute(),
    db.selectFrom("memberBadges").selectAll().where("userId", "=", userId).execute(),
  ]);
  // What the member gave or did in the other domains: job requests (with the address and phone they
  // typed), single sign-on identities (with the provider's claims), rewards, courses and flags.
  const [jobRequests, identities, redemptions, quizAttempts, certifications, postFlags, reviewFlags, problems] =
    await Promise.all([
      db.selectFrom("jobRequests").selectAll().where("customerId", "=", userId).orderBy("id").execute(),
      db
        .selectFrom("userIdentities")
        .select(["provider", "subject", "email", "claims", "createdAt", "lastLoginAt"])
        .where("userId", "=", userId)
        .execute(),
      db.selectFrom("rewardRedemptions").selectAll().where("userId", "=", userId).orderBy("id").execute(),
      db.selectFrom("quizAttempts").selectAll().where("userId", "=", userId).orderBy("id").execute(),
      db.selectFrom("certifications").selectAll().where("userId", "=", userId).orderBy("id").execute(),
      db.selectFrom("postFlags").selectAll().where("userId", "=", userId).orderBy("id").execute(),
      db.selectFrom("reviewFlags").selectAll().where("userId", "=", userId).execute(),
      db.selectFrom("bookingProblems").selectAll().where("reporterId", "=", userId).orderBy("id").execute(),
    ]);
  const sessions = await db
    .selectFrom("sessions")
    .select(["createdAt", "lastSeenAt", "userAgent", "expiresAt"])
    .where("userId", "=", userId)
    .execute();
  const tokens = await db
    .selectFrom("apiTokens")
    .select(["name", "createdAt", "lastUsedAt"])
    .where("userId", "=", userId)
    .execute();
  const uploads = await uploadsOf(db, userId);
  return {
    exportedAt: new Date(deps.clock.now()).toISOString(),
    profile: { ...toPublicUser(user), signupIp: user.signupIp, memberships },
    posts: { topics, replies, comments },
    votes: { posts: votes, polls: pollVotes },
    follows,
    bookings: bookings.map((b) => (b.customerId === userId ? b : withoutCustomerContact(b))),
    messages,
    reviews,
    bookingProblems: problems,
    serviceFriendProfiles: helperProfiles,
    jobRequests,
    singleSignOn: identities.map((i) => ({ ...i, claims: JSON.parse(i.claims) })),
    rewardRedemptions: redemptions,
    courses: { attempts: quizAttempts.map((a) => ({ ...a, answers: JSON.parse(a.answers) })), certifications },
    flags: { posts: postFlags, reviews: reviewFlags },
    notifications: notifications.map((n) => ({ ...n, data: JSON.parse(n.data) })),
    ledgerEntries: ledger,
    badges,
    sessions,
    apiTokens: tokens,
    uploads,
  };
}

/**
 * The images the member attached in the editor, one per upload (every community's, in upload order):
 * where each is served (the full image and its thumbnail), the community's slug, size and time.
 */
async function uploadsOf(db: Db, userId: number) {
  const rows = await db
    .selectFrom("attachments")
    .innerJoin("communities", "communities.id", "attachments.communityId")
    .select(["attachments.key", "communities.slug", "width", "height", "bytes", "attachments.createdAt"])
    .where("ownerId", "=", userId)
    .orderBy("attachments.id")
    .execute();
  return rows.map((row) => {
    const image = parseAttachmentUrl(attachmentUrl(row.key));
    return {
      url: attachmentUrl(row.key),
      // Null for a key of another shape (none the editor writes): it has no thumbnail we know of.
      thumbnailUrl: image && attachmentUrl(image.thumbKey),
      community: row.slug,
      width: row.width,
      height: row.height,
      bytes: row.bytes,
      createdAt: new Date(Number(row.createdAt)).toISOString(),
    };
  });
}

/**
 * The customer's address and phone are the customer's data, not the helper's: a helper's copy of a
 * booking leaves them out (the booking page shows them only while the booking needs them).
 */
function withoutCustomerContact<B extends { address: string; phone: string }>(booking: B) {
  return { ...booking, address: null, phone: null };
}

/** Rows that exist only for the member's own use: gone with the account. */
async function deletePersonalRows(db: Db, userId: number, now: number): Promise<void> {
  await db.deleteFrom("accountLinks").where("userId", "=", userId).execute();
  // A provider's identity (with its claims: email, name, customer number) would sign the account in again.
  await db.deleteFrom("userIdentities").where("userId", "=", userId).execute();
  await db.deleteFrom("notifications").where("userId", "=", userId).execute();
  await db.deleteFrom("notificationPreferences").where("userId", "=", userId).execute();
  await db.deleteFrom("emailDeliveries").where("userId", "=", userId).execute();
  await removeFollowsOf(db, userId);
  await db.deleteFrom("memberExpertise").where("userId", "=", userId).execute();
  await db.deleteFrom("routingPreferences").where("userId", "=", userId).execute();
  // Offers of questions stay (routing statistics count them: the past is not rewritten); those
  // still open end now, as a lapsed offer does, so no question waits for the deleted member.
  await db
    .updateTable("topicRoutes")
    .set({ expiredAt: now })
    .where("userId", "=", userId)
    .where("answeredAt", "is", null)
    .where("expiredAt", "is", null)
    .execute();
  await db.deleteFrom("quizAttempts").where("userId", "=", userId).execute();
}

/** The account's memberships end: each community's figures hear of it (the day it joined on). */
async function endMemberships(tx: Tx, userId: number): Promise<void> {
  const ended = await tx.db
    .deleteFrom("memberships")
    .where("userId", "=", userId)
    .returning(["communityId", "createdAt"])
    .execute();
  for (const m of ended)
    await emit(tx, "membership.ended", { communityId: m.communityId, userId, joinedAt: Number(m.createdAt) });
}

/**
 * The member's open bookings (as customer or as helper) still ahead are cancelled, the other party
 * told (one that has begun takes its course: cancelOpenBookingsOf), and the job requests nobody
 * took yet called off. Bookings and payments keep what accounting needs
 * (service, helper, times, price, currency, payment records) without the customer's address, phone
 * or description (kept by a booking under way until it ends: eraseCustomerContact); the name goes
 * with the account row. A service friend's profile loses its real name, phone, bio and photo.
 */
async function anonymiseMarketplace(ctx: { db: Db; clock: Clock }, userId: number): Promise<string[]> {
  const { db } = ctx;
  await cancelOpenBookingsOf(db, ctx, { id: userId, name: DELETED_MEMBER });
  await callOffJobRequests(db, "customerId", userId);
  await eraseCustomerContact(ctx, userId);
  await db
    .updateTable("jobRequests")
    .set({ address: "", phone: "", description: "" })
    .where("customerId", "=", userId)
    .execute();
  await db.updateTable("offers").set({ active: 0 }).where("helperId", "=", userId).execute();
  const photos = await db.selectFrom("helpers").select("photoKey").where("userId", "=", userId).execute();
  await db
    .updateTable("helpers")
    .set({ realName: DELETED_MEMBER, phone: "", bio: "", postalCode: "", photoKey: "", status: "suspended" })
    .where("userId", "=", userId)
    .execute();
  const keys = photos.map((p) => p.photoKey).filter(Boolean);
  return keys.length ? unusedPhotos(db, keys) : [];
}

/**
 * A community keeps at least one admin: its only one hands over before leaving for good. The
 * communities the member administers are locked first (as role changes lock them), so two admins
 * leaving at once, or one leaving while the other is demoted, run one after the other.
 */
async function refuseLastAdmin(tx: Pick<Tx, "db" | "dialect">, userId: number): Promise<void> {
  const { db } = tx;
  if (tx.dialect === "postgres")
    await db
      .selectFrom("communities")
      .select("id")
      .where("id", "in", (eb) =>
        eb.selectFrom("memberships").select("communityId").where("userId", "=", userId).where("role", "=", "admin"),
      )
      .orderBy("id")
      .forUpdate()
      .execute();
  const alone = await db
    .selectFrom("memberships as mine")
    .innerJoin("communities", "communities.id", "mine.communityId")
    .select("communities.name")
    .where("mine.userId", "=", userId)
    .where("mine.role", "=", "admin")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("memberships as other")
            .innerJoin("users as otherUser", "otherUser.id", "other.userId")
            .select("other.userId")
            .whereRef("other.communityId", "=", "mine.communityId")
            .where("other.role", "=", "admin")
            .where("other.userId", "<>", userId)
            .where("otherUser.deletedAt", "is", null),
        ),
      ),
    )
    .orderBy("communities.name")
    .execute();
  if (!alone.length) return;
  const communities = alone.map((c) => c.name).join(", ");
  throw new AppError(
    "conflict",
    `You are the only admin of ${communities}: make someone else admin there first.`,
    undefined,
    { key: "me.delete.lastAdmin", params: { communities } },
  );
}

/** Photos are stored by content: another helper with the same picture shares the file, which then stays. */
async function unusedPhotos(db: Db, keys: string[]): Promise<string[]> {
  const used = await db.selectFrom("helpers").select("photoKey").where("photoKey", "in", keys).execute();
  return keys.filter((key) => !used.some((row) => row.photoKey === key));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The name as a whole word (not inside another word), in any script. */
const wholeName = (name: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, "gu");

/**
 * What others were already told about the member shows "Deleted member": the names stored in
 * their notifications (as actor, and written in a title or excerpt), and the emails queued but not
 * yet sent. Besides the display name, a service friend's real names go too: staff's notice of an
 * application is titled with the real name.
 */
async function renameInMessages(db: Db, userId: number, displayName: string, realNames: string[]): Promise<void> {
  const names = [displayName, ...realNames].filter((name) => name.trim() !== "");
  const plain = names.map(wholeName);
  // Their own notifications' text too: a queued email is composed again from it when it goes.
  const notes = await db.selectFrom("notifications").select(["id", "data"]).where("actorId", "=", userId).execute();
  for (const note of notes) {
    const data = JSON.parse(note.data);
    data.actorName = DELETED_MEMBER;
    for (const field of ["title", "excerpt"])
      if (typeof data[field] === "string")
        data[field] = plain.reduce((text: string, name) => text.replace(name, DELETED_MEMBER), data[field]);
    await db
      .updateTable("notifications")
      .set({ data: JSON.stringify(data) })
      .where("id", "=", note.id)
      .execute();
  }
  const escaped = names.map((name) => wholeName(escapeHtml(name)));
  const rename = (text: string, patterns: RegExp[]) =>
    patterns.reduce((renamed, name) => renamed.replace(name, DELETED_MEMBER), text);
  // Only the emails that name this member: another member may have the same display name.
  const queued = await db
    .selectFrom("emailDeliveries")
    .innerJoin("emailDeliveryActors as actor", "actor.deliveryId", "emailDeliveries.id")
    .select(["emailDeliveries.id", "subject", "textBody", "htmlBody"])
    .where("actor.userId", "=", userId)
    .where("status", "=", "pending")
    .execute();
  for (const email of queued) {
    const renamed = {
      subject: rename(email.subject, plain),
      textBody: rename(email.textBody, plain),
      htmlBody: rename(email.htmlBody, escaped),
    };
    if (renamed.subject === email.subject && renamed.textBody === email.textBody && renamed.htmlBody === email.htmlBody)
      continue;
    await db.updateTable("emailDeliveries").set(renamed).where("id", "=", email.id).execute();
  }
}

/**
 * Deletes the account (DELETE /api/v1/me): the password confirms it; an account without one (single
 * sign-on only) confirms by a recent sign-in in `session` and its email address typed (confirmMember).
 * The row stays, anonymised, so the member's posts stay credited to "Deleted member"; logging in
 * with the old address fails.
 */
export async function deleteAccount(
  deps: Deps,
  userId: number,
  password: string | undefined,
  passwordless: { email?: string; session?: string } = {},
): Promise<void> {
  const member = await confirmMember(deps, userId, { password, session: passwordless.session });
  if (!hasPassword(member) && passwordless.email?.trim().toLowerCase() !== member.email) {
    throw fieldRefused("email", "Type the account's email address to confirm.", "me.delete.emailMismatch");
  }
  const now = deps.clock.now();
  const { photos, avatarKey } = await transaction(deps, async (tx) => {
    const { db, clock } = tx;
    await refuseLastAdmin({ db, dialect: deps.dialect }, userId);
    // Read under the row's lock, not at the password check: an avatar or a name set in between is erased too.
    await lockRows(tx, "users", [userId]);
    const user = await db
      .selectFrom("users")
      .select(["name", "avatarKey"])
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    const helpers = await db.selectFrom("helpers").select("realName").where("userId", "=", userId).execute();
    // The handle came from the name: it goes too (freed for others; mentions name live accounts only).
    const [handle] = await allocateHandles(db, [`deleted-${userId}`]);
    await db
      .updateTable("users")
      .set({
        name: DELETED_MEMBER,
        handle,
        email: deletedEmail(userId),
        passwordHash: "!deleted",
        isPlatformAdmin: 0,
        locale: null,
        signupIp: null,
        avatarKey: null,
        emailVerifiedAt: null,
        deletedAt: now,
      })
      .where("id", "=", userId)
      .execute();
    await endSessionsAndTokens(db, userId);
    await deletePersonalRows(db, userId, now);
    await endMemberships(tx, userId);
    await renameInMessages(
      db,
      userId,
      user.name,
      helpers.map((h) => h.realName),
    );
    return { photos: await anonymiseMarketplace({ db, clock }, userId), avatarKey: user.avatarKey };
  });
  await removeAvatarFiles(deps, avatarKey);
  const storage = storageFor(deps.config);
  for (const key of photos) await storage.delete(key);
}
