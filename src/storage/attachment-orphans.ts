import type { Db } from "../db/database.ts";
import { attachmentUrl, parseAttachmentUrl } from "../lib/attachments.ts";
import { storageFor } from "./storage.ts";

/**
 * Images stored for posts that were never saved (the post was refused, abandoned, or the editor's
 * upload was not used): a day after the upload, an `attachments` row that no text refers to is
 * deleted, and its files with it unless another row holds the same key (files are named by their
 * content, so two uploads of one picture share them).
 *
 * Each row is looked at once, a day after its upload, in the order of its id: a cursor in
 * `settings` remembers the last one looked at, so a run costs its few new rows and never the whole
 * site. A row that is referenced then stays (and its files) whatever happens to its post later.
 */

const DAY = 24 * 3_600_000;
const CURSOR = "attachments_orphans_cursor";
/** Rows looked at by one run; a full batch asks for another run at once. */
export const ORPHAN_BATCH = 100;

/**
 * Every text an attached image's Markdown can be in: the posts, their earlier versions, articles,
 * lessons, booking messages, staff notes and the public notes of idea statuses. One indexed-free
 * `LIKE` per table, stopping at the first row found; a candidate's address is a plain
 * `/uploads/attachments/HASH-WxH` (hex, digits, `x`, `-`: nothing LIKE treats as a wildcard).
 */
type Probe = (db: Db, pattern: string) => Promise<unknown>;
const SOURCES: Probe[] = [
  (db, p) => db.selectFrom("topics").select("id").where("body", "like", p).limit(1).executeTakeFirst(),
  (db, p) => db.selectFrom("replies").select("id").where("body", "like", p).limit(1).executeTakeFirst(),
  (db, p) => db.selectFrom("comments").select("id").where("body", "like", p).limit(1).executeTakeFirst(),
  (db, p) => db.selectFrom("revisions").select("id").where("body", "like", p).limit(1).executeTakeFirst(),
  (db, p) => db.selectFrom("articles").select("id").where("body", "like", p).limit(1).executeTakeFirst(),
  (db, p) => db.selectFrom("courseLessons").select("id").where("body", "like", p).limit(1).executeTakeFirst(),
  (db, p) => db.selectFrom("bookingMessages").select("id").where("body", "like", p).limit(1).executeTakeFirst(),
  (db, p) => db.selectFrom("supportNotes").select("id").where("body", "like", p).limit(1).executeTakeFirst(),
  (db, p) => db.selectFrom("ideaStatusChanges").select("id").where("note", "like", p).limit(1).executeTakeFirst(),
];

/** Whether any text refers to the image (its full size or thumbnail, by relative or absolute address). */
async function isReferenced(db: Db, key: string): Promise<boolean> {
  const pattern = `%${attachmentUrl(key.replace(/\.webp$/, ""))}%`;
  for (const probe of SOURCES) if (await probe(db, pattern)) return true;
  return false;
}

async function readCursor(db: Db): Promise<number> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", CURSOR).executeTakeFirst();
  const cursor = Number(row?.value ?? 0);
  return Number.isSafeInteger(cursor) && cursor > 0 ? cursor : 0;
}

async function writeCursor(db: Db, cursor: number): Promise<void> {
  await db
    .insertInto("settings")
    .values({ key: CURSOR, value: String(cursor) })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: String(cursor) }))
    .execute();
}

export interface OrphanSweep {
  /** Rows looked at. */
  checked: number;
  /** Rows deleted. */
  removed: number;
  /** Files deleted (full images and thumbnails). */
  filesRemoved: number;
  /** The batch was full: more rows may be waiting. */
  more: boolean;
}

/**
 * Looks at the next rows (by id) uploaded more than a day ago. Stops at the first row younger
 * than a day, so a younger row is never passed over (an archive's import can give old times to new ids).
 */
export async function removeOrphanAttachments(
  deps: { db: Db; clock: { now(): number }; config: { dataDir: string } },
  batch = ORPHAN_BATCH,
): Promise<OrphanSweep> {
  const { db } = deps;
  const before = deps.clock.now() - DAY;
  const cursor = await readCursor(db);
  const rows = await db
    .selectFrom("attachments")
    .select(["id", "key", "createdAt"])
    .where("id", ">", cursor)
    .orderBy("id")
    .limit(batch)
    .execute();
  const storage = storageFor(deps.config);
  const referenced = new Map<string, boolean>();
  const sweep: OrphanSweep = { checked: 0, removed: 0, filesRemoved: 0, more: false };
  let last = cursor;
  for (const row of rows) {
    if (Number(row.createdAt) >= before) break;
    sweep.checked++;
    last = row.id;
    const image = parseAttachmentUrl(attachmentUrl(row.key));
    // A key of another shape is not ours to judge: it stays.
    if (!image) continue;
    let used = referenced.get(row.key);
    if (used === undefined) {
      used = await isReferenced(db, row.key);
      referenced.set(row.key, used);
    }
    if (used) continue;
    // The files first, then the row: a run cut short in between finds the row again next time.
    const shared = await db
      .selectFrom("attachments")
      .select("id")
      .where("key", "=", row.key)
      .where("id", "<>", row.id)
      .limit(1)
      .executeTakeFirst();
    if (!shared) {
      await storage.delete(image.key);
      await storage.delete(image.thumbKey);
      sweep.filesRemoved += 2;
    }
    await db.deleteFrom("attachments").where("id", "=", row.id).execute();
    sweep.removed++;
  }
  if (last !== cursor) await writeCursor(db, last);
  sweep.more = sweep.checked === batch;
  return sweep;
}
