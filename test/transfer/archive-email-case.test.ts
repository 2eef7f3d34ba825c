import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import zlib from "node:zlib";
import { importArchive } from "../../src/transfer/index.ts";
import { buildUser, describeEachDatabase } from "../helpers.ts";

const gzipLines = (file: string, lines: unknown[]) =>
  fs.writeFileSync(file, zlib.gzipSync(lines.map((l) => JSON.stringify(l)).join("\n")));

const member = (id: number, email: string) => ({
  id,
  email,
  name: `Member ${id}`,
  handle: `member${id}`,
  passwordHash: "",
  locale: null,
  createdAt: 1,
});

describeEachDatabase("an archive's members are matched by email whatever its case", (env) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-archive-email-case-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("a member in other capitals is the account here, and a new one is stored in lower case", async () => {
    const here = await buildUser(env());
    const shouted = here.email.toUpperCase();
    const communityId = 881_002;
    const file = path.join(dir, "mixed-case.jsonl.gz");
    gzipLines(file, [
      { format: "crowdservice-community", version: 1, community: "case-probe", exportedAt: 1 },
      { table: "users", row: member(881_001, shouted) },
      { table: "users", row: member(881_003, "New.Member@Example.TEST") },
      {
        table: "communities",
        row: {
          id: communityId,
          slug: "case-probe",
          name: "Case",
          description: "",
          visibility: "public",
          locale: "en",
          createdAt: 1,
        },
      },
      { table: "memberships", row: { communityId, userId: 881_001, role: "member", createdAt: 1 } },
      { table: "memberships", row: { communityId, userId: 881_003, role: "member", createdAt: 1 } },
    ]);
    await importArchive(env().deps, { file });
    const db = env().deps.db;
    const members = await db
      .selectFrom("memberships")
      .innerJoin("users", "users.id", "memberships.userId")
      .select(["users.id", "users.email"])
      .where("memberships.communityId", "=", communityId)
      .orderBy("users.email")
      .execute();
    assert.deepEqual(members.map((m) => m.email).sort(), ["new.member@example.test", here.email].sort());
    assert.ok(
      members.some((m) => m.id === here.id),
      "the existing account is the archived member",
    );
    const shoutedRows = await db.selectFrom("users").select("id").where("email", "=", shouted).execute();
    assert.deepEqual(shoutedRows, [], "no second account under the capitalised address");
  });
});
