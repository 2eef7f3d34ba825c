import { sql } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import type { AttachedImage } from "../lib/attachments.ts";
import { storageFor } from "./storage.ts";

/**
 * An attached image's files are named by their content, so every upload of one picture shares them:
 * they may go only once no `attachments` row holds their key. The row comes first: an upload inserts
 * its row, then writes the files after the row committed; a row is deleted, and its files with it when
 * no other row holds the key, in one transaction. Both take the key's lock, so a deletion either
 * commits before an upload's row (which then writes the files again) or finds that row and keeps them.
 */

export type AttachmentDeps = Pick<Deps, "db" | "dialect" | "clock"> & { config: { dataDir: string } };

/**
 * Takes the key's lock until the transaction ends, on PostgreSQL (a lock per installation's key;
 * another key with the same hash only waits its turn). SQLite runs one transaction at a time already.
 */
export async function lockAttachmentKey(tx: Pick<Tx, "db" | "dialect">, key: string): Promise<void> {
  if (tx.dialect !== "postgres") return;
  await sql`select pg_advisory_xact_lock(hashtext(${`attachments:${key}`}))`.execute(tx.db);
}

/**
 * Deletes a row and, unless another row holds its key, its files (the files before the commit: a run
 * cut short finds the row again). Returns the number of files deleted, or null when `keep`, asked under
 * the key's lock, keeps the row.
 */
export async function deleteAttachmentRow(
  deps: AttachmentDeps,
  row: { id: number } & Pick<AttachedImage, "key" | "thumbKey">,
  keep?: (db: Db) => Promise<boolean>,
): Promise<number | null> {
  return transaction(deps, async (tx) => {
    await lockAttachmentKey(tx, row.key);
    if (await keep?.(tx.db)) return null;
    await tx.db.deleteFrom("attachments").where("id", "=", row.id).execute();
    const shared = await tx.db
      .selectFrom("attachments")
      .select("id")
      .where("key", "=", row.key)
      .limit(1)
      .executeTakeFirst();
    if (shared) return 0;
    const storage = storageFor(deps.config);
    await storage.delete(row.key);
    await storage.delete(row.thumbKey);
    return 2;
  });
}
