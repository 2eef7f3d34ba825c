import { randomUUID } from "node:crypto";
import fs from "node:fs";
import readline from "node:readline";
import zlib from "node:zlib";
import { sql } from "kysely";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { badRequest, conflict } from "../core/errors.ts";
import { createCommunityBody } from "../communities/index.ts";
import { AVATAR_STEM, deletedEmail, insertWithHandle } from "../accounts/index.ts";
import { HELPER_PHOTO_KEY } from "../marketplace/index.ts";
import { ensureIndexed } from "../search/index.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import { type Storage, storageFor } from "../storage/storage.ts";
import {
  ARCHIVE_FORMAT,
  ARCHIVE_TABLES,
  ARCHIVE_VERSION,
  type RowsOf,
  type TableSpec,
  type USER_COLUMNS,
  snakeCase,
  uploadKeys,
  userColumnsOf,
} from "./archive.tables.ts";
import { IN_CHUNK } from "./archive.export.ts";
import { checkRowTypes } from "./archive.columns.ts";
import { fillAddedColumns } from "./archive.upgrade.ts";
import type { Progress } from "./transfer.community.ts";

type Row = Record<string, unknown>;
type Upload = { key: string; type: string; bytes: Buffer };

// biome-ignore lint/suspicious/noExplicitAny: the table list is data (archive.tables.ts)
const anyTable = (name: string) => name as any;

const isObject = (value: unknown): value is Row => typeof value === "object" && value !== null && !Array.isArray(value);

/** The tables an archive may hold rows of: its members and those of archive.tables.ts. */
const ARCHIVED = new Set<string>(["users", ...ARCHIVE_TABLES.map((spec) => spec.table)]);

/** One line after the header: a row of an archived table, or a file; anything else is refused. */
function entryOf(value: unknown, line: number): { table: string; row: Row } | Upload {
  if (isObject(value) && "upload" in value) {
    const { upload: key, type, base64 } = value;
    if (typeof key === "string" && typeof type === "string" && typeof base64 === "string")
      return { key, type, bytes: Buffer.from(base64, "base64") };
  } else if (isObject(value) && typeof value.table === "string" && isObject(value.row)) {
    if (!ARCHIVED.has(value.table)) throw new Error(`line ${line} names the unknown table "${value.table}"`);
    return { table: value.table, row: value.row };
  }
  throw new Error(`line ${line} is neither a row ({"table", "row"}) nor a file ({"upload", "type", "base64"})`);
}

/** A deleted account's address as account deletion writes it (deletedEmail): deleted-<id>@deleted.invalid. */
const DELETED_EMAIL = /^deleted-\d+@deleted\.invalid$/;

/**
 * Addresses as browsers check them (HTML5), not signup's stricter rule: the platform admin's
 * ADMIN_EMAIL is taken as given (admin@localhost), and the export writes it like any other.
 */
const ADDRESS = z.email({ pattern: z.regexes.html5Email });

/**
 * A member as the export writes one (USER_COLUMNS). The password hash is "" for accounts without a
 * password (single sign-on, the Support team, Stack Exchange imports) and "!deleted" once deleted;
 * archives made before handles, confirmed addresses, avatars and deletions were carried lack those.
 */
const archivedUser = z
  .object({
    id: z.number().int().positive(),
    // Trimmed and in lower case, as accounts store and look addresses up (accounts' email schema):
    // Ann@Example.com in an archive is the account ann@example.com here, not a second one.
    email: z.string().trim().toLowerCase(),
    name: z.string(),
    handle: z.string().optional(),
    passwordHash: z.string(),
    locale: z.string().nullable().optional(),
    createdAt: z.number(),
    emailVerifiedAt: z.number().nullable().optional(),
    avatarKey: z.string().nullable().optional(),
    deletedAt: z.number().nullable().optional(),
  } satisfies Record<(typeof USER_COLUMNS)[number], z.ZodType>)
  .refine((user) => (user.deletedAt == null ? ADDRESS.safeParse(user.email).success : DELETED_EMAIL.test(user.email)), {
    path: ["email"],
    message: "not an email address (a deleted account's: deleted-<id>@deleted.invalid)",
  });

type ArchivedUser = z.infer<typeof archivedUser>;

/**
 * A users line, refused unless typed as the export writes it: a missing address would otherwise
 * be stored as "undefined", and every later archive's member without one matched to that account.
 */
function checkedUser(row: Row, line: number): ArchivedUser {
  const parsed = archivedUser.safeParse(row);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  throw new Error(`line ${line} holds a row of users whose ${issue.path.join(".")} is invalid: ${issue.message}`);
}

async function readArchive(file: string) {
  if (!fs.existsSync(file)) throw badRequest(`No such file: ${file}`);
  if (!fs.statSync(file).isFile()) throw badRequest(`${file} is not a file.`);
  const source = fs.createReadStream(file);
  const gunzip = zlib.createGunzip();
  // pipe() does not pass a read error on: without this it would be thrown outside this function.
  source.on("error", (error) => gunzip.destroy(error));
  const lines = readline.createInterface({ input: source.pipe(gunzip), crlfDelay: Infinity });
  let header: { format?: string; version?: number; community?: string } | undefined;
  const rows = new Map<string, Row[]>();
  const users: ArchivedUser[] = [];
  const uploads: Upload[] = [];
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      if (!text) continue;
      const value = JSON.parse(text);
      if (!header) {
        header = isObject(value) ? value : {};
        // Another format or version: said below, without reading on.
        if (header.format !== ARCHIVE_FORMAT || header.version !== ARCHIVE_VERSION) break;
        continue;
      }
      const entry = entryOf(value, line);
      if ("key" in entry) uploads.push(entry);
      else if (entry.table === "users") users.push(checkedUser(entry.row, line));
      else {
        const list = rows.get(entry.table) ?? [];
        list.push(entry.row);
        rows.set(entry.table, list);
      }
    }
  } catch (error) {
    throw badRequest(`${file} is not a readable archive: ${(error as Error).message}`);
  } finally {
    source.destroy();
  }
  if (header?.format !== ARCHIVE_FORMAT) throw badRequest(`${file} is not a Crowdservice community archive.`);
  if (header.version !== ARCHIVE_VERSION)
    throw badRequest(`Archive version ${header.version} is not supported (this version reads ${ARCHIVE_VERSION}).`);
  rows.set("users", users);
  return { rows, users, uploads };
}

/** Archived members: the account with the same email here, else a new one (with its old id when free). */
async function importUsers(db: Db, users: ArchivedUser[]): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const user of users) {
    // A deleted account is nobody's here: never matched by its placeholder address, always its own row.
    const deletedAt = user.deletedAt ?? null;
    const existing =
      deletedAt === null
        ? await db.selectFrom("users").select("id").where("email", "=", user.email).executeTakeFirst()
        : undefined;
    if (existing) {
      map.set(user.id, existing.id);
      continue;
    }
    const idTaken = await db.selectFrom("users").select("id").where("id", "=", user.id).executeTakeFirst();
    const values = {
      // A deleted account's address names its id, which may change here: set below once it is known.
      email: deletedAt === null ? user.email : `${randomUUID()}@deleted.invalid`,
      name: user.name,
      passwordHash: user.passwordHash,
      isPlatformAdmin: 0,
      locale: user.locale ?? null,
      signupIp: null,
      createdAt: user.createdAt,
      // Archives made before these columns were carried have neither.
      emailVerifiedAt: user.emailVerifiedAt ?? null,
      avatarKey: user.avatarKey ?? null,
      deletedAt,
    };
    // The archived handle when it is free here (archives before handles have none: from the name).
    const wish = user.handle ?? values.name;
    const row = await insertWithHandle(db, wish, (handle) =>
      db
        .insertInto("users")
        .values(idTaken ? { ...values, handle } : { ...values, handle, id: user.id })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    if (deletedAt !== null)
      await db
        .updateTable("users")
        .set({ email: deletedEmail(row.id) })
        .where("id", "=", row.id)
        .execute();
    map.set(user.id, row.id);
  }
  return map;
}

/** Kept ids must be free here: an archive goes into a new installation, or one that never had these rows. */
async function checkIdsFree(db: Db, spec: TableSpec, rows: Row[]): Promise<void> {
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const clash = await db
      .selectFrom(anyTable(spec.table))
      .select("id")
      .where("id", "in", ids.slice(i, i + IN_CHUNK))
      .executeTakeFirst();
    if (clash)
      throw conflict(
        `Row ${clash.id} of ${snakeCase(spec.table)} exists here already: import into a new installation.`,
      );
  }
}

const TARGET_TABLES: Record<string, string> = { topic: "topics", reply: "replies", comment: "comments" };

/**
 * Every row must be the archived community's, found the way archive.tables.ts says (by its
 * community column, or through a parent or target row of this very archive), and a topic's forward
 * links must point into the archive too: a crafted archive must not make someone admin of, or add
 * tags, votes or topics to, another community here.
 */
function checkBelongs(rows: Map<string, Row[]>, communityId: number): void {
  const idsOf = new Map<string, Set<number>>();
  const ids = (table: string) => {
    let set = idsOf.get(table);
    if (!set) {
      set = new Set((rows.get(table) ?? []).map((r) => r.id).filter((id) => typeof id === "number"));
      idsOf.set(table, set);
    }
    return set;
  };
  const within = (table: string, id: unknown) => typeof id === "number" && ids(table).has(id);
  const belongs = (how: RowsOf, row: Row): boolean => {
    if ("community" in how) return row[how.community] === communityId;
    if ("targets" in how) return within(TARGET_TABLES[String(row[how.targets.type])] ?? "", row[how.targets.id]);
    return within(how.parent, row[how.column]) || (how.or !== undefined && within(how.or.parent, row[how.or.column]));
  };
  const refuse = (table: string, row: Row) => {
    throw badRequest(`A row of ${snakeCase(table)} (${JSON.stringify(row).slice(0, 200)}) is not this community's.`);
  };
  const member = (column: string, row: Row) => row[column] == null || within("users", row[column]);
  const linked = (spec: TableSpec, row: Row) =>
    Object.entries(spec.refs ?? {}).every(([column, table]) => row[column] == null || within(table, row[column])) &&
    (!spec.target || within(TARGET_TABLES[String(row[spec.target.type])] ?? "", row[spec.target.id]));
  // The import map's local rows: its members are checked like any member (userColumnsOf), its posts are this archive's.
  const mapped = (row: Row) => row.kind === "user" || within(TARGET_TABLES[String(row.kind)] ?? "", row.localId);
  // A row found through its parent may hold the community too (a topic's tags): it must be this one.
  const sameCommunity = (row: Row) => !("communityId" in row) || row.communityId === communityId;
  for (const spec of ARCHIVE_TABLES)
    for (const row of rows.get(spec.table) ?? [])
      if (
        !belongs(spec.rows, row) ||
        !sameCommunity(row) ||
        !userColumnsOf(spec, row).every((column) => member(column, row)) ||
        !linked(spec, row) ||
        (spec.table === "externalIds" && !mapped(row))
      )
        refuse(spec.table, row);
  for (const topic of rows.get("topics") ?? [])
    if (
      (topic.acceptedReplyId != null && !within("replies", topic.acceptedReplyId)) ||
      (topic.hiddenSolutionId != null && !within("replies", topic.hiddenSolutionId)) ||
      (topic.mergedIntoId != null && !within("topics", topic.mergedIntoId))
    )
      refuse("topics", topic);
}

/**
 * A file goes in only under a key the archive's rows name, and one stored here already must be the
 * same (keys are made from the content): a crafted line must not replace another member's file.
 */
/**
 * Each row names a file of its own kind: a helper's photo key that is a member's avatar (or the
 * other way round) would let a later clean-up of the one delete the other's file.
 */
function checkFileKinds(rows: Map<string, Row[]>): void {
  // No file is null, or "" (a deleted account's helper photo).
  const wrong = (value: unknown, shape: RegExp) => value != null && value !== "" && !shape.test(String(value));
  for (const helper of rows.get("helpers") ?? [])
    if (wrong(helper.photoKey, HELPER_PHOTO_KEY)) throw badRequest(`${helper.photoKey} is not a helper's photo.`);
  for (const user of rows.get("users") ?? [])
    if (wrong(user.avatarKey, AVATAR_STEM)) throw badRequest(`${user.avatarKey} is not a member's avatar.`);
}

/** Refuses files the archive may not write; returns those not stored here yet (the rest are here, identical). */
async function checkUploads(storage: Storage, uploads: Upload[], named: Set<string>): Promise<Upload[]> {
  const absent: Upload[] = [];
  for (const upload of uploads) {
    if (!named.has(upload.key)) throw badRequest(`The file ${upload.key} is named by no row of the archive.`);
    const here = await storage.get(upload.key);
    if (here && !here.bytes.equals(upload.bytes))
      throw conflict(`Another file is stored here as ${upload.key} already.`);
    if (!here) absent.push(upload);
  }
  return absent;
}

/**
 * The tables whose rows carry Markdown and the HTML rendered from it, which pages show as is: the
 * HTML is rendered here again (raw HTML off, unsafe links refused), never taken from the archive,
 * so a crafted archive cannot put a script on a page.
 */
const RENDERED = new Set<string>(["topics", "replies", "comments", "articles", "courseLessons"]);

function checkBodies(rows: Map<string, Row[]>): void {
  for (const table of RENDERED)
    for (const row of rows.get(table) ?? [])
      if (typeof row.body !== "string")
        throw badRequest(`A row of ${snakeCase(table)} (${JSON.stringify(row).slice(0, 200)}) has no text body.`);
}

/** A row as it is inserted: its members' ids here, its HTML rendered here, forward links set later. */
function insertableRow(spec: TableSpec, row: Row, users: Map<number, number>): Row {
  const copy: Row = { ...row };
  if (RENDERED.has(spec.table)) copy.bodyHtml = renderMarkdown(String(row.body));
  for (const column of userColumnsOf(spec, row))
    if (typeof copy[column] === "number") copy[column] = users.get(copy[column] as number);
  for (const column of spec.later ?? []) copy[column] = null;
  if (spec.detailUsers && typeof row.details === "string") copy.details = detailsWithUsers(spec, row.details, users);
  return copy;
}

/**
 * A `details` JSON with its members' ids here; one the archive does not hold is no longer named.
 * Details that are no JSON object are refused (the audit log's page reads them as one).
 */
function detailsWithUsers(spec: TableSpec, details: string, users: Map<number, number>): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw badRequest(`A row of ${snakeCase(spec.table)} has details that are no JSON object: ${details.slice(0, 100)}`);
  const copy = { ...parsed } as Record<string, unknown>;
  for (const key of spec.detailUsers ?? [])
    if (typeof copy[key] === "number") copy[key] = users.get(copy[key] as number) ?? null;
  return JSON.stringify(copy);
}

/** PostgreSQL's sequences do not move when ids are given: set them past the imported rows. */
async function moveSequences(db: Db): Promise<void> {
  for (const table of ["users", ...ARCHIVE_TABLES.filter((s) => s.serial).map((s) => snakeCase(s.table))])
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(
      table,
    )}), 0) + 1, false)`.execute(db);
}

const INSERT_CHUNK = 100;

/** The columns that point at rows inserted after their own (a topic's accepted reply), once all are in. */
async function linkForward(db: Db, rows: Map<string, Row[]>): Promise<void> {
  for (const spec of ARCHIVE_TABLES.filter((s) => s.later))
    for (const row of rows.get(spec.table) ?? []) {
      // A row may lack such a column (null or absent): nothing to link, and no empty update to send.
      const later = Object.fromEntries((spec.later ?? []).map((c) => [c, row[c]]).filter(([, v]) => v != null));
      if (Object.keys(later).length)
        await db.updateTable(anyTable(spec.table)).set(later).where("id", "=", row.id).execute();
    }
}

/**
 * Reads an archive made by exportCommunity into this installation, in one transaction: the
 * community (under its own or a new address), its members matched by email, every row with its
 * id, and the uploads; then indexes it for search.
 */
export async function importArchive(
  deps: Deps,
  input: { file: string; slug?: string; onProgress?: (progress: Progress) => void },
): Promise<{ slug: string; counts: Record<string, number> }> {
  const { rows, users: archivedUsers, uploads } = await readArchive(input.file);
  const communityRow = rows.get("communities")?.[0];
  if (!communityRow) throw badRequest(`${input.file} holds no community.`);
  const slug = createCommunityBody.shape.slug.safeParse(input.slug ?? communityRow.slug);
  if (!slug.success) throw badRequest(`Invalid community address "${input.slug ?? communityRow.slug}".`);
  checkBelongs(rows, Number(communityRow.id));
  checkBodies(rows);
  fillAddedColumns(rows);
  await checkRowTypes(deps, rows);
  const storage = storageFor(deps.config);
  checkFileKinds(rows);
  const newFiles = await checkUploads(storage, uploads, uploadKeys(rows));
  const counts: Record<string, number> = {};
  const written: string[] = [];
  await deps.db
    .transaction()
    .execute(async (tx) => {
      const taken = await tx.selectFrom("communities").select("id").where("slug", "=", slug.data).executeTakeFirst();
      if (taken) throw conflict(`A community at /c/${slug.data} exists already; pass --community NEW-SLUG.`);
      const users = await importUsers(tx, archivedUsers);
      counts.users = users.size;
      for (const [i, spec] of ARCHIVE_TABLES.entries()) {
        const tableRows = rows.get(spec.table) ?? [];
        if (spec.serial) await checkIdsFree(tx, spec, tableRows);
        const values = tableRows.map((row) => insertableRow(spec, row, users));
        if (spec.table === "communities") values[0].slug = slug.data;
        for (let at = 0; at < values.length; at += INSERT_CHUNK)
          await tx
            .insertInto(anyTable(spec.table))
            .values(values.slice(at, at + INSERT_CHUNK))
            .execute();
        if (tableRows.length) counts[spec.table] = tableRows.length;
        input.onProgress?.({ phase: "Writing", done: i + 1, total: ARCHIVE_TABLES.length });
      }
      await linkForward(tx, rows);
      if (deps.dialect === "postgres") await moveSequences(tx);
      // Last, inside the transaction: a file that cannot be stored (a bad key or type) undoes the rows.
      for (const upload of newFiles) {
        await storage.put(upload.key, upload.bytes, upload.type);
        written.push(upload.key);
      }
    })
    .catch(async (error) => {
      // The rows are undone: so are the files this import added (those stored here before stay).
      for (const key of written) await storage.delete(key);
      throw error;
    });
  counts.uploads = uploads.length;
  await ensureIndexed(deps, {
    communityId: Number(communityRow.id),
    onProgress: (done) => input.onProgress?.({ phase: "Search index", done, total: counts.topics ?? 0 }),
  });
  return { slug: slug.data, counts };
}
