import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { sqliteBefore } from "./migration-support.ts";

test("migration 033 erases the provider identities of accounts deleted before", async () => {
  const { db, row, migrateRest } = await sqliteBefore("033_deleted_identities");
  row("users", { id: 7, email: "deleted-7@deleted.invalid", handle: "deleted-7", deleted_at: 100 });
  row("users", { id: 8, email: "kept@example.test", handle: "kept" });
  for (const [userId, subject] of [
    [7, "gone"],
    [8, "kept"],
  ] as const)
    row("user_identities", {
      user_id: userId,
      provider: "acme",
      subject,
      email: `${subject}@example.test`,
      claims: "{}",
    });
  const all = await migrateRest();
  assert.equal(all.error, undefined, String(all.error));
  const rows = await sql<{ subject: string }>`select subject from user_identities order by subject`.execute(db);
  assert.deepEqual(
    rows.rows.map((r) => r.subject),
    ["kept"],
  );
  await db.destroy();
});
