import { sql, type Kysely } from "kysely";
import { dialectOf } from "../dialect.ts";
import { firstFreeHandle, handleBase } from "../../lib/handles.ts";

/** Rows per backfill statement: well under both engines' parameter limits. */
const CHUNK = 400;

/**
 * Unique handles for @mentions (issue #19): a mention named a display name before, which a second
 * account could copy. Every existing member gets one from their name in the order they joined
 * (alicemartin, then alicemartin2 for the next Alice Martin), so the backfill is deterministic.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("handle", "text").execute();
  const users: { id: number; name: string }[] = await db
    .selectFrom("users")
    .select(["id", "name"])
    .orderBy("id")
    .execute();
  const taken = new Set<string>();
  const handles = users.map((u) => {
    const handle = firstFreeHandle(handleBase(u.name), (h) => taken.has(h));
    taken.add(handle);
    return { id: Number(u.id), handle };
  });
  for (let i = 0; i < handles.length; i += CHUNK) {
    const chunk = handles.slice(i, i + CHUNK);
    const cases = sql.join(
      chunk.map((u) => sql`when ${u.id} then ${u.handle}`),
      sql` `,
    );
    await db
      .updateTable("users")
      .set({ handle: sql`case id ${cases} end` })
      .where(
        "id",
        "in",
        chunk.map((u) => u.id),
      )
      .execute();
  }
  await db.schema.createIndex("users_handle_unique").unique().on("users").column("handle").execute();
  if (dialectOf(db) === "postgres") {
    await sql`alter table users alter column handle set not null`.execute(db);
    return;
  }
  // SQLite cannot add NOT NULL to an existing column: triggers refuse a missing handle the same way.
  for (const [name, event] of [
    ["users_handle_required_insert", "insert"],
    ["users_handle_required_update", "update of handle"],
  ])
    await sql`create trigger ${sql.id(name)} before ${sql.raw(event)} on users when new.handle is null
      begin select raise(abort, 'NOT NULL constraint failed: users.handle'); end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === "sqlite") {
    await sql`drop trigger users_handle_required_insert`.execute(db);
    await sql`drop trigger users_handle_required_update`.execute(db);
  }
  await db.schema.dropIndex("users_handle_unique").execute();
  await db.schema.alterTable("users").dropColumn("handle").execute();
}
