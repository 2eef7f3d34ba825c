import type { ZodType } from "zod";
import type { Db, Dialect } from "./database.ts";
import { lockRows } from "./row-locks.ts";

/**
 * Per-community settings, one JSON document per domain section ("reputation", "moderation").
 * What is stored is merged over the defaults, so a community only keeps what it changed and new
 * settings get their default everywhere.
 */
type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and values replace. */
export function mergeSettings<T>(base: T, patch: unknown): T {
  if (!isPlain(base) || !isPlain(patch)) return (patch === undefined ? base : patch) as T;
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) out[key] = mergeSettings(out[key], value);
  return out as T;
}

export async function readSection<T>(
  db: Db,
  communityId: number,
  section: string,
  schema: ZodType<T>,
  defaults: T,
): Promise<T> {
  const row = await db
    .selectFrom("communitySettings")
    .select("value")
    .where("communityId", "=", communityId)
    .where("section", "=", section)
    .executeTakeFirst();
  return row ? parseSection(row.value, schema, defaults) : defaults;
}

/**
 * A stored section over its defaults; the defaults whole when it is unreadable or does not fit the
 * schema, so that every reader of a section (pages, API, the checks that enforce it) sees one value.
 */
export function parseSection<T>(value: string, schema: ZodType<T>, defaults: T): T {
  const parsed = schema.safeParse(mergeSettings(defaults, parseStored(value)));
  return parsed.success ? parsed.data : defaults;
}

/**
 * A stored section as JSON; unreadable (a row an archive from elsewhere carried, edited by hand) it
 * is as good as absent, like a section that no longer fits its schema: the defaults hold.
 */
function parseStored(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

export async function writeSection(
  db: Db,
  communityId: number,
  section: string,
  value: unknown,
  now: number,
): Promise<void> {
  await db
    .insertInto("communitySettings")
    .values({ communityId, section, value: JSON.stringify(value), updatedAt: now })
    .onConflict((oc) =>
      oc.columns(["communityId", "section"]).doUpdateSet({ value: JSON.stringify(value), updatedAt: now }),
    )
    .execute();
}

/**
 * Changes a section in the caller's transaction: what is stored now (`current`, with its defaults)
 * with `patch` merged over it, checked by `parse`, then written. Under the community's row lock, so
 * two admins changing different settings at once both keep theirs: each merges over what the other
 * wrote, where reading before the transaction let the later write drop the earlier change.
 */
export async function patchSection<T>(
  tx: { db: Db; dialect: Dialect },
  where: { communityId: number; section: string; now: number },
  current: (db: Db) => Promise<T>,
  patch: unknown,
  parse: (merged: T) => T = (merged) => merged,
): Promise<T> {
  await lockRows(tx, "communities", [where.communityId], { strength: "no key update" });
  const next = parse(mergeSettings(await current(tx.db), patch));
  await writeSection(tx.db, where.communityId, where.section, next, where.now);
  return next;
}
