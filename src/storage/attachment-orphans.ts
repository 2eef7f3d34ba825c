import type { Db } from "../db/database.ts";
import { attachmentUrl, parseAttachmentUrl } from "../lib/attachments.ts";
import { type AttachmentDeps, deleteAttachmentRow } from "./attachment-keys.ts";
import { DAY_MS } from "../lib/durations.ts";

/**
 * Images stored for posts that were never saved (the post was refused, abandoned, or the editor's
 * upload was not used): a day after the upload, an `attachments` row that no text refers to is
 * deleted, and its files with it unless another row holds the same key (files are named by their
 * content, so two uploads of one picture share them). Both go in one transaction under the key's
 * lock (attachment-keys.ts), so an upload of the same picture at that moment keeps its files.
 * A draft kept in the browser has no end, so no grace covers it: a post sent later showing a removed
 * image is refused instead (editor/editor.screening.ts).
 *
 * Each row is looked at once, a day after its upload, in the order of its id: a cursor in
 * `settings` remembers the last one looked at, so a run costs its few new rows and never the whole
 * site. A row that is referenced then stays (and its files) whatever happens to its post later.
 *
 * One sweep works at a time, on every instance: two at once could each take the other's row of a
 * shared key for a user of its files, and neither would delete them. A sweep holds a lease, a row of
 * `settings` taken and renewed by compare-and-set; a sweep that cannot take it does nothing.
 */

const CURSOR = "attachments_orphans_cursor";
const LEASE = "attachments_orphans_lease";
/** How long a sweep holds the lease after its last renewal (at each row): a sweep that stopped frees it then. */
const LEASE_MS = 10 * 60_000;
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

/**
 * Takes the lease (`held` null) or renews it: a compare-and-set of its row from the value read (or held) to the time
 * it now runs out, so of two sweeps only one succeeds. Returns the value written, or null if another sweep holds it.
 */
async function holdLease(db: Db, now: number, held: string | null): Promise<string | null> {
  let from = held;
  if (from === null) {
    await db
      .insertInto("settings")
      .values({ key: LEASE, value: "0" })
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
    const row = await db.selectFrom("settings").select("value").where("key", "=", LEASE).executeTakeFirst();
    if (!row || Number(row.value) > now) return null;
    from = row.value;
  }
  const until = String(now + LEASE_MS);
  const { numUpdatedRows } = await db
    .updateTable("settings")
    .set({ value: until })
    .where("key", "=", LEASE)
    .where("value", "=", from)
    .executeTakeFirst();
  return numUpdatedRows > 0n ? until : null;
}

async function releaseLease(db: Db, held: string): Promise<void> {
  await db.updateTable("settings").set({ value: "0" }).where("key", "=", LEASE).where("value", "=", held).execute();
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
  /** The last row looked at: the next run starts after it. */
  cursor: number;
}

/**
 * Looks at the next rows (by id) uploaded more than a day ago. Stops at the first row younger
 * than a day, so a younger row is never passed over (an archive's import can give old times to new ids).
 */
export async function removeOrphanAttachments(deps: AttachmentDeps, batch = ORPHAN_BATCH): Promise<OrphanSweep> {
  const { db, clock } = deps;
  let lease = await holdLease(db, clock.now(), null);
  const cursor = await readCursor(db);
  if (!lease) return { checked: 0, removed: 0, filesRemoved: 0, more: false, cursor };
  try {
    return await sweepBatch(deps, batch, cursor, async () => {
      lease = lease && (await holdLease(db, clock.now(), lease));
      return lease !== null;
    });
  } finally {
    if (lease) await releaseLease(db, lease);
  }
}

/** One batch after `cursor`, while `held()` (renewing the lease) says the sweep still holds it. */
async function sweepBatch(
  deps: AttachmentDeps,
  batch: number,
  cursor: number,
  held: () => Promise<boolean>,
): Promise<OrphanSweep> {
  const { db } = deps;
  const before = deps.clock.now() - DAY_MS;
  const rows = await db
    .selectFrom("attachments")
    .select(["id", "key", "createdAt"])
    .where("id", ">", cursor)
    .orderBy("id")
    .limit(batch)
    .execute();
  const referenced = new Map<string, boolean>();
  const sweep: OrphanSweep = { checked: 0, removed: 0, filesRemoved: 0, more: false, cursor };
  let last = cursor;
  for (const row of rows) {
    if (Number(row.createdAt) >= before) break;
    // Another sweep took over (this one stalled past its lease): it carries on from the cursor; stop here.
    if (!(await held())) return sweep;
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
    // Asked again under the key's lock, which a post showing the image holds while it is saved
    // (editor/editor.screening.ts): one saved since the question above keeps the row.
    const filesRemoved = await deleteAttachmentRow(deps, { id: row.id, ...image }, (db) => isReferenced(db, row.key));
    if (filesRemoved === null) {
      referenced.set(row.key, true);
      continue;
    }
    sweep.filesRemoved += filesRemoved;
    sweep.removed++;
  }
  if (last === cursor) return sweep;
  if (!(await held())) return sweep;
  await writeCursor(db, last);
  return { ...sweep, cursor: last, more: sweep.checked === batch };
}
