import fs from "node:fs";
import { once } from "node:events";
import zlib from "node:zlib";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { conflict, notFound } from "../core/errors.ts";
import { storageFor } from "../storage/storage.ts";
import {
  ARCHIVE_FORMAT,
  ARCHIVE_TABLES,
  ARCHIVE_VERSION,
  type TableSpec,
  USER_COLUMNS,
  uploadKeys,
  userColumnsOf,
} from "./archive.tables.ts";
import type { Progress } from "./transfer.community.ts";

type Row = Record<string, unknown>;

/** Ids per query in `where ... in (...)`: well under both engines' parameter limits. */
export const IN_CHUNK = 1000;

async function rowsWhereIn(db: Db, table: string, column: string, ids: unknown[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    // biome-ignore lint/suspicious/noExplicitAny: the table list is data (archive.tables.ts)
    const chunk = await (db.selectFrom(table as any) as any)
      .selectAll()
      .where(column, "in", ids.slice(i, i + IN_CHUNK))
      .execute();
    rows.push(...chunk);
  }
  return rows;
}

const byId = (rows: Row[]) => rows.sort((a, b) => Number(a.id ?? 0) - Number(b.id ?? 0));

async function rowsOf(db: Db, spec: TableSpec, communityId: number, taken: Map<string, Row[]>): Promise<Row[]> {
  const { rows } = spec;
  if ("community" in rows) return byId(await rowsWhereIn(db, spec.table, rows.community, [communityId]));
  if ("parent" in rows) {
    const found: Row[] = [];
    // Each row has one parent (comments: a reply or a topic), so the two lists do not overlap.
    for (const { parent, column } of [rows, ...(rows.or ? [rows.or] : [])]) {
      const parentIds = (taken.get(parent) ?? []).map((r) => r.id);
      found.push(...(await rowsWhereIn(db, spec.table, column, parentIds)));
    }
    return byId(found);
  }
  const found: Row[] = [];
  for (const [type, table] of [
    ["topic", "topics"],
    ["reply", "replies"],
  ] as const) {
    const ids = (taken.get(table) ?? []).map((r) => r.id);
    const matching = await rowsWhereIn(db, spec.table, rows.targets.id, ids);
    found.push(...matching.filter((r) => r[rows.targets.type] === type));
  }
  return byId(found);
}

/**
 * Writes a community to a gzipped JSON Lines archive (format in the README, "Export and import"):
 * a header line, then `{"table": ..., "row": {...}}` lines, users first, parents before children,
 * and `{"upload": key, "base64": ...}` lines for the files its rows name. Returns rows per table.
 */
export async function exportCommunity(
  deps: Pick<Deps, "db" | "config" | "clock">,
  input: { slug: string; file: string; onProgress?: (progress: Progress) => void },
): Promise<Record<string, number>> {
  if (fs.existsSync(input.file)) throw conflict(`${input.file} exists already; choose a new file.`);
  // One snapshot (a read transaction): rows written while the export reads table after table (a
  // new topic, the kudos or flag naming it) would otherwise reach the archive half, as rows
  // pointing at rows it does not hold, which an import refuses.
  const { taken, users } = await deps.db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (tx) => {
      const community = await tx
        .selectFrom("communities")
        .select("id")
        .where("slug", "=", input.slug)
        .executeTakeFirst();
      if (!community) throw notFound(`Community "${input.slug}"`);
      const taken = new Map<string, Row[]>();
      const userIds = new Set<number>();
      for (const [i, spec] of ARCHIVE_TABLES.entries()) {
        const rows = await rowsOf(tx, spec, community.id, taken);
        taken.set(spec.table, rows);
        for (const row of rows)
          for (const column of userColumnsOf(spec, row))
            if (typeof row[column] === "number") userIds.add(row[column] as number);
        input.onProgress?.({ phase: "Reading", done: i + 1, total: ARCHIVE_TABLES.length });
      }
      const users = byId(await rowsWhereIn(tx, "users", "id", [...userIds])).map((user) =>
        Object.fromEntries(USER_COLUMNS.map((c) => [c, user[c]])),
      );
      return { taken, users };
    });
  // The same rows an import reads, so it accepts exactly these files.
  const keys = uploadKeys(new Map([...taken, ["users", users]]));

  // Written aside and moved into place once complete: a failure midway leaves no truncated archive.
  const partial = `${input.file}.partial`;
  const out = zlib.createGzip();
  const done = out.pipe(fs.createWriteStream(partial));
  const write = async (value: unknown) => {
    if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, "drain");
  };
  await write({
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    community: input.slug,
    exportedAt: deps.clock.now(),
  });
  for (const user of users) await write({ table: "users", row: user });
  const counts: Record<string, number> = { users: users.length };
  for (const spec of ARCHIVE_TABLES) {
    const rows = taken.get(spec.table) ?? [];
    for (const row of rows) await write({ table: spec.table, row });
    if (rows.length) counts[spec.table] = rows.length;
  }
  const storage = storageFor(deps.config);
  for (const key of keys) {
    const file = await storage.get(key);
    if (file) await write({ upload: key, type: file.type, base64: file.bytes.toString("base64") });
  }
  counts.uploads = keys.size;
  out.end();
  await once(done, "finish");
  fs.renameSync(partial, input.file);
  return counts;
}
