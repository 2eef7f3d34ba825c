import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import { conflict } from "../core/errors.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { handleBase, handleCandidate } from "../lib/handles.ts";

/**
 * Handles (issue #19): every account gets a unique one when it is made, from its name
 * (lib/handles.ts says how); @mentions resolve through it. A handle stays with its account when
 * the display name changes; only its member changes it (updateMe).
 */

/** Candidates per query: well under both engines' parameter limits. */
const IN_CHUNK = 500;

async function takenHandles(db: Db, candidates: string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < candidates.length; i += IN_CHUNK) {
    const rows = await db
      .selectFrom("users")
      .select("handle")
      .where("handle", "in", candidates.slice(i, i + IN_CHUNK))
      .execute();
    for (const row of rows) taken.add(row.handle);
  }
  return taken;
}

/**
 * A free handle for each name, in order: the name's base if free, else base2, base3 ... (two equal
 * names in one call get different ones). For many names at once (imports, seeds) it asks the
 * database a few times in all, not once per name: suffixes 1, then 2-9, then 10-99 ...
 */
export async function allocateHandles(db: Db, names: string[]): Promise<string[]> {
  const handles: string[] = new Array(names.length);
  const claimed = new Set<string>();
  let pending = names.map((name, index) => ({ base: handleBase(name), index }));
  for (let from = 1, to = 1; pending.length > 0; from = to + 1, to = to * 10 + 9) {
    const window = (base: string) => Array.from({ length: to - from + 1 }, (_, k) => handleCandidate(base, from + k));
    const taken = await takenHandles(db, [...new Set(pending.flatMap((p) => window(p.base)))]);
    pending = pending.filter((p) => {
      const free = window(p.base).find((h) => !taken.has(h) && !claimed.has(h));
      if (free === undefined) return true;
      handles[p.index] = free;
      claimed.add(free);
      return false;
    });
  }
  return handles;
}

/** True when a write failed because another account has the handle (and not, say, the email). */
export function isHandleTaken(error: unknown): boolean {
  return isUniqueViolation(error) && /handle/.test((error as Error).message);
}

const ATTEMPTS = 5;

/**
 * Inserts accounts under free handles for their names (one statement or several). Two signups
 * with the same name at once may pick the same handle; the unique index turns one away and it
 * takes the next free one. Inside a transaction each attempt is a savepoint, so a lost race does
 * not abort the transaction.
 */
export async function insertWithHandles<T>(
  db: Db,
  names: string[],
  insert: (handles: string[]) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const handles = await allocateHandles(db, names);
    if (db.isTransaction) await sql`savepoint handle_insert`.execute(db);
    try {
      const result = await insert(handles);
      if (db.isTransaction) await sql`release savepoint handle_insert`.execute(db);
      return result;
    } catch (error) {
      if (db.isTransaction) await sql`rollback to savepoint handle_insert`.execute(db);
      if (!isHandleTaken(error)) throw error;
      if (attempt === ATTEMPTS) throw conflict("Too many accounts are being made with this name; try again.");
    }
  }
}

/** One account under a free handle for its name (insertWithHandles). */
export function insertWithHandle<T>(db: Db, name: string, insert: (handle: string) => Promise<T>): Promise<T> {
  return insertWithHandles(db, [name], ([handle]) => insert(handle));
}
