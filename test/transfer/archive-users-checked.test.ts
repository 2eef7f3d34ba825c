import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import zlib from "node:zlib";
import { exportCommunity, importArchive } from "../../src/transfer/index.ts";
import { createPasswordlessUser } from "../../src/accounts/index.ts";
import { ensurePlatformAdmin } from "../../src/accounts/accounts.service.ts";
import {
  DATABASES,
  TEST_PASSWORD,
  addMember,
  buildCommunity,
  buildTopic,
  createTestEnv,
  describeEachDatabase,
} from "../helpers.ts";

const gzipLines = (file: string, lines: unknown[]) =>
  fs.writeFileSync(file, zlib.gzipSync(lines.map((l) => JSON.stringify(l)).join("\n")));

const USER = {
  id: 880_001,
  email: "no-mail@example.test",
  name: "No Mail",
  handle: "nomail",
  passwordHash: "",
  locale: null,
  createdAt: 1,
};

/** A small archive of its own (ids and address free here), with `user` as its one member. */
const archiveWith = (user: Record<string, unknown>) => [
  { format: "crowdservice-community", version: 1, community: "probe-b", exportedAt: 1 },
  { table: "users", row: user },
  {
    table: "communities",
    row: {
      id: 880_002,
      slug: "probe-b",
      name: "Probe B",
      description: "",
      visibility: "public",
      locale: "en",
      createdAt: 1,
    },
  },
  { table: "memberships", row: { communityId: 880_002, userId: user.id, role: "member", createdAt: 1 } },
];

describeEachDatabase("an archive's members are checked before anything is written", (env) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-archive-users-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const count = async (table: "users" | "communities") =>
    Number(
      (
        await env()
          .deps.db.selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test("a member without an email, with a null name or a non-number createdAt is refused, naming the field", async () => {
    const { email: _none, ...withoutEmail } = USER;
    const broken: [Record<string, unknown>, RegExp][] = [
      [withoutEmail, /line 2 holds a row of users whose email is invalid/],
      [{ ...USER, email: "undefined" }, /line 2 holds a row of users whose email is invalid/],
      [{ ...USER, name: null }, /line 2 holds a row of users whose name is invalid/],
      [{ ...USER, createdAt: "yesterday" }, /line 2 holds a row of users whose createdAt is invalid/],
      [{ ...USER, passwordHash: undefined }, /line 2 holds a row of users whose passwordHash is invalid/],
      [{ ...USER, id: -1 }, /line 2 holds a row of users whose id is invalid/],
    ];
    const file = path.join(dir, "broken.jsonl.gz");
    const before = { users: await count("users"), communities: await count("communities") };
    for (const [user, error] of broken) {
      gzipLines(file, archiveWith(user));
      await assert.rejects(importArchive(env().deps, { file }), error, JSON.stringify(user));
      assert.deepEqual({ users: await count("users"), communities: await count("communities") }, before);
    }
    // The same archive with its member whole goes in.
    gzipLines(file, archiveWith(USER));
    await importArchive(env().deps, { file });
    const stored = await env()
      .deps.db.selectFrom("users")
      .select(["email", "passwordHash"])
      .where("id", "=", USER.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { email: USER.email, passwordHash: "" });
  });

  test("an exported community still goes in whole: deleted, passwordless and platform-admin members too", async () => {
    const source = env();
    const { community, slug, members } = await buildCommunity(source, { members: { member: 2 } });
    // Deleted (its topic keeps it in the archive): its placeholder address and "!deleted" hash;
    // single sign-on: no password; the platform admin: ADMIN_EMAIL as given, which signup may refuse.
    const gone = members.member[1];
    for (const author of members.member) await buildTopic(source, slug, author);
    const deleted = await source.api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, gone.auth);
    assert.equal(deleted.status, 204);
    const sso = await createPasswordlessUser(source.deps, { email: "sso@example.test", name: "Sso", locale: "de" });
    await ensurePlatformAdmin(source.deps, "admin@localhost", TEST_PASSWORD);
    const admin = await source.deps.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", "admin@localhost")
      .executeTakeFirstOrThrow();
    for (const id of [sso.id, admin.id]) await addMember(source, community.id, id, "member");
    const file = path.join(dir, "export.jsonl.gz");
    await exportCommunity(source.deps, { slug, file });

    const database = DATABASES.find((d) => d.name === source.deps.dialect);
    assert.ok(database);
    const target = await createTestEnv(database);
    try {
      const { counts } = await importArchive(target.deps, { file });
      assert.equal(counts.users, 5);
      const imported = await target.deps.db
        .selectFrom("users")
        .select(["email", "passwordHash", "deletedAt"])
        .orderBy("id")
        .execute();
      assert.ok(imported.some((u) => u.email === `deleted-${gone.id}@deleted.invalid` && u.deletedAt !== null));
      assert.ok(imported.some((u) => u.email === "sso@example.test" && u.passwordHash === ""));
      assert.ok(imported.some((u) => u.email === "admin@localhost"));
      assert.ok(imported.every((u) => u.email !== "undefined" && u.passwordHash !== "undefined"));
    } finally {
      await target.close();
    }
  });
});
