import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import zlib from "node:zlib";
import { exportCommunity, importArchive, importStackExchange } from "../../src/transfer/index.ts";
import { ARCHIVE_TABLES, snakeCase } from "../../src/transfer/archive.tables.ts";
import {
  type ApiResponse,
  DATABASES,
  type TestEnv,
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  TEST_PASSWORD,
  createTestEnv,
  describeEachDatabase,
} from "../helpers.ts";
import { createApiToken } from "../../src/accounts/accounts.service.ts";
import { setAvatar, storeAvatarImage } from "../../src/accounts/accounts.avatars.ts";
import { claimWithProvenEmail } from "../../src/accounts/index.ts";
import { loadSharp } from "../../src/storage/images.ts";
import { storageFor } from "../../src/storage/storage.ts";
import { AVATAR_SIZES, avatarFileKey } from "../../src/web/avatar.ts";
import { FIXTURE_DUMP } from "./support.ts";
import { approvedHelper } from "../marketplace/support.ts";

const must = <T extends ApiResponse>(res: T): T => {
  if (res.status >= 300) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res;
};

/** Gives a member an avatar of one colour, stored as an upload would be; returns its storage stem. */
async function giveAvatar(env: TestEnv, userId: number, colour: string): Promise<string> {
  const sharp = await loadSharp();
  const image = await sharp({ create: { width: 300, height: 300, channels: 3, background: colour } })
    .png()
    .toBuffer();
  const stem = await storeAvatarImage(env.deps.config, image);
  await setAvatar(env.deps, userId, stem);
  return stem;
}

/** The stored files of an avatar, every size. */
async function avatarFiles(env: TestEnv, stem: string) {
  const storage = storageFor(env.deps.config);
  return Promise.all(AVATAR_SIZES.map(async (size) => (await storage.get(avatarFileKey(stem, size)))?.bytes));
}

/** An archive's lines, read back. */
const linesOf = (file: string) =>
  zlib
    .gunzipSync(fs.readFileSync(file))
    .toString()
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

/** A community with a bit of everything: imported and typed topics, roles, categories, kudos, articles, courses. */
async function richCommunity(env: TestEnv) {
  const { slug, admin, members, categories, community } = await buildCommunity(env, {
    categories: ["Billing"],
    members: { member: 2, staff: 1 },
  });
  await importStackExchange(env.deps, { dir: FIXTURE_DUMP, slug });
  const [asker, helper] = members.member;
  const topic = await buildTopic(env, slug, asker, { categoryId: categories[0].id, tags: ["invoice"] });
  const reply = await buildReply(env, topic.id, helper, "Your invoice is under **Account > Billing**.");
  must(await env.api.post(`/api/v1/replies/${reply.id}/comments`, { body: "Found it, thanks!" }, asker.auth));
  must(await env.api.post(`/api/v1/topics/${topic.id}/comments`, { body: "Which invoice, March?" }, helper.auth));
  must(await env.api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, asker.auth));
  must(await env.api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth));
  must(
    await env.api.post(
      `/api/v1/communities/${slug}/articles`,
      { title: "Where to find your invoices", body: "Open **Account**, then **Billing**." },
      admin.auth,
    ),
  );
  must(
    await env.api.post(
      `/api/v1/communities/${slug}/courses`,
      {
        title: "Billing basics",
        lessons: [{ title: "Invoices", body: "They arrive on the first of the month." }],
        questions: [
          {
            text: "When do invoices arrive?",
            kind: "single",
            options: [{ text: "1st", correct: true }, { text: "15th" }],
          },
        ],
      },
      admin.auth,
    ),
  );
  // A member who left: their reply stays, credited to "Deleted member", and they stay deleted.
  const leaver = await buildUser(env);
  await buildReply(env, topic.id, leaver, "Try the billing page in the app.");
  must(await env.api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, leaver.auth));
  // What its admins and moderators set up travels too: a ban, the SSO rule, the widget's origins.
  const spammer = members.member[1];
  must(await env.api.put(`/api/v1/communities/${slug}/members/${spammer.id}/ban`, { reason: "Spam" }, admin.auth));
  // Set in the table: PUT /sso refuses a requirement while no sign-in provider is configured.
  await env.deps.db
    .insertInto("communitySsoRequirements")
    .values({
      communityId: community.id,
      provider: null,
      toPost: 0,
      toApply: 1,
      claim: "customer_number",
      claimValue: null,
      updatedAt: env.clock.now(),
    })
    .execute();
  const allowedOrigins = ["https://help.example.com"];
  must(await env.api.put(`/api/v1/communities/${slug}/allowed-origins`, { allowedOrigins }, admin.auth));
  await env.deps.db.insertInto("topicViews").values({ topicId: topic.id, viewCount: 42 }).execute();
  // Only members who confirmed their address may post; the asker did, and has an avatar.
  await env.deps.db.updateTable("users").set({ emailVerifiedAt: env.clock.now() }).where("id", "=", asker.id).execute();
  must(await env.api.patch(`/api/v1/communities/${slug}/settings/accounts`, { unverifiedMayPost: false }, admin.auth));
  const avatar = await giveAvatar(env, asker.id, "#3366cc");
  return { slug, asker, admin, spammer, leaver, avatar };
}

/** What the community's staff set up, as its admin reads it, with the banned members' emails. */
async function setUp(env: TestEnv, slug: string, admin: { email: string }) {
  const auth = { token: await tokenOf(env, admin.email) };
  const bans = await env.deps.db
    .selectFrom("communityBans")
    .innerJoin("communities", "communities.id", "communityBans.communityId")
    .innerJoin("users", "users.id", "communityBans.userId")
    .select(["users.email", "communityBans.reason"])
    .where("communities.slug", "=", slug)
    .execute();
  return {
    bans,
    sso: must(await env.api.get(`/api/v1/communities/${slug}/sso`, auth)).body,
    allowedOrigins: must(await env.api.get(`/api/v1/communities/${slug}/allowed-origins`, auth)).body,
  };
}

/** The API's answer for every topic and every member's profile of a community, as an anonymous reader sees it. */
async function apiOutput(env: TestEnv, slug: string) {
  const community = await env.deps.db
    .selectFrom("communities")
    .select("id")
    .where("slug", "=", slug)
    .executeTakeFirstOrThrow();
  const topics = await env.deps.db
    .selectFrom("topics")
    .select("id")
    .where("communityId", "=", community.id)
    .orderBy("id")
    .execute();
  const members = await env.deps.db
    .selectFrom("memberships")
    .select("userId")
    .where("communityId", "=", community.id)
    .orderBy("userId")
    .execute();
  const output: Record<string, unknown> = {};
  for (const { id } of topics) output[`topic ${id}`] = (await env.api.get(`/api/v1/topics/${id}`)).body;
  for (const { userId } of members)
    output[`profile ${userId}`] = (await env.api.get(`/api/v1/communities/${slug}/members/${userId}/profile`)).body;
  for (const list of ["articles", "courses"])
    output[list] = (await env.api.get(`/api/v1/communities/${slug}/${list}`)).body;
  // A search signs its deflection token with the installation's own secret; the results must match.
  const { deflectionToken, ...search } = (await env.api.get(`/api/v1/communities/${slug}/search?q=invoice`)).body;
  assert.ok(deflectionToken);
  output.search = search;
  return output;
}

async function tokenOf(env: TestEnv, email: string): Promise<string> {
  const user = await env.deps.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  return (await createApiToken(env.deps, user.id, { name: "after the move", scope: "admin", expiresAt: null })).token;
}

const postgres = DATABASES.find((d) => d.name === "postgres");
const sqlite = DATABASES[0];

describe(`community archive round trip: sqlite -> ${postgres?.name ?? "sqlite"} -> sqlite`, () => {
  const envs: TestEnv[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-archive-"));
  before(async () => {
    // Each installation with its own uploads, so the files must travel in the archive.
    const at = (name: string) => ({ dataDir: path.join(dir, name) });
    envs.push(
      await createTestEnv(sqlite, at("source")),
      await createTestEnv(postgres ?? sqlite, at("middle")),
      await createTestEnv(sqlite, at("back")),
    );
  });
  after(async () => {
    for (const env of envs) await env.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("every topic and profile reads the same after the trip; the archive is versioned JSON Lines", async () => {
    const [source, middle, back] = envs;
    const { slug, asker, admin, spammer, leaver, avatar } = await richCommunity(source);
    const expected = await apiOutput(source, slug);
    assert.ok(Object.keys(expected).filter((k) => k.startsWith("topic")).length >= 4);
    assert.ok(Object.values(expected).some((v) => (v as { topic?: { viewCount: number } }).topic?.viewCount === 42));
    const expectedSetUp = await setUp(source, slug, admin);
    assert.deepEqual(expectedSetUp.bans, [{ email: spammer.email, reason: "Spam" }]);
    assert.deepEqual([expectedSetUp.sso.toApply, expectedSetUp.sso.claim], [true, "customer_number"]);
    assert.deepEqual(expectedSetUp.allowedOrigins.allowedOrigins, ["https://help.example.com"]);

    const first = path.join(dir, "first.jsonl.gz");
    const counts = await exportCommunity(source.deps, { slug, file: first });
    assert.equal(counts.topics, 4);
    // 4 from the dump (one on a question), one on a reply, one on a question posted here.
    assert.equal(counts.comments, 6);
    const onQuestions = Object.values(expected).flatMap(
      (v) => (v as { topic?: { comments?: { body: string }[] } }).topic?.comments ?? [],
    );
    assert.deepEqual(onQuestions.map((c) => c.body).sort(), ["Which invoice, March?", "Which model is it?"]);
    assert.ok(counts.kudosEvents > 0 && counts.courses === 1 && counts.articles === 1 && counts.externalIds > 0);
    const lines = linesOf(first);
    assert.deepEqual(
      { format: lines[0].format, version: lines[0].version, community: lines[0].community },
      { format: "crowdservice-community", version: 1, community: slug },
    );
    const [rows, files] = [lines.slice(1, -AVATAR_SIZES.length), lines.slice(-AVATAR_SIZES.length)];
    assert.ok(rows.every((l) => typeof l.table === "string" && typeof l.row === "object"));
    assert.deepEqual(
      files.map((l) => l.upload),
      AVATAR_SIZES.map((size) => avatarFileKey(avatar, size)),
      "then the files",
    );

    await importArchive(middle.deps, { file: first });
    assert.deepEqual(await apiOutput(middle, slug), expected);

    const second = path.join(dir, "second.jsonl.gz");
    await exportCommunity(middle.deps, { slug, file: second });
    await importArchive(back.deps, { file: second });
    assert.deepEqual(await apiOutput(back, slug), expected);
    assert.deepEqual(await setUp(back, slug, admin), expectedSetUp);
    const rejoin = await back.api.post(
      `/api/v1/communities/${slug}/join`,
      {},
      {
        token: await tokenOf(back, spammer.email),
      },
    );
    assert.equal(rejoin.status, 403, "still banned");
    const deleted = await back.deps.db
      .selectFrom("users")
      .select(["id", "email", "name", "deletedAt"])
      .where("id", "=", leaver.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [deleted.email, deleted.name, deleted.deletedAt !== null],
      [`deleted-${deleted.id}@deleted.invalid`, "Deleted member", true],
      "still deleted after the trip",
    );

    assert.deepEqual(
      await avatarFiles(back, avatar),
      await avatarFiles(source, avatar),
      "the avatar's files came along",
    );

    // Members keep their logins, even after a single sign-on login (it clears an unconfirmed
    // address's password), and may post where a confirmed address is required; the rows keep
    // counting from where they were (PostgreSQL sequences too).
    const askerId = (
      await back.deps.db.selectFrom("users").select("id").where("email", "=", asker.email).executeTakeFirstOrThrow()
    ).id;
    await claimWithProvenEmail(back.deps.db, askerId, back.clock.now());
    const login = await back.api.post("/api/v1/auth/login", { email: asker.email, password: TEST_PASSWORD });
    assert.equal(login.status, 200);
    const posted = await buildTopic(back, slug, { ...asker, auth: { token: await tokenOf(back, asker.email) } });
    assert.ok(
      posted.id >
        Math.max(
          ...Object.keys(expected)
            .filter((k) => k.startsWith("topic "))
            .map((k) => Number(k.slice(6))),
        ),
    );
  });

  test("every table of the schema is archived, or left out for a reason archive.tables.ts gives", async () => {
    const leftOut = [
      ...["sessions", "api_tokens", "account_links", "user_identities", "users"], // personal (users: by email)
      ...["notifications", "notification_preferences", "routing_preferences"], // personal
      ...["email_deliveries", "email_delivery_actors", "webhook_deliveries", "helpdesk_deliveries", "helpdesk_events"], // delivery logs
      ...["jobs", "rate_limits", "live_events", "settings", "postal_places"], // transient or platform-wide
    ];
    const rebuilt = (name: string) => name.startsWith("search_") || name.startsWith("insights_");
    const archived = new Set(ARCHIVE_TABLES.map((spec) => snakeCase(spec.table)));
    const tables = (await envs[0].deps.db.introspection.getTables()).map((t) => t.name);
    assert.ok(tables.includes("community_bans"), "introspection lists the schema's tables");
    const unaccounted = tables.filter(
      (name) => !archived.has(name) && !leftOut.includes(name) && !rebuilt(name) && !name.startsWith("kysely_"),
    );
    assert.deepEqual(unaccounted, [], "a new table must be archived or named here with its reason");
  });

  test("a crafted archive cannot write into another community here: refused, nothing written", async () => {
    const [, middle] = envs;
    const victim = await buildCommunity(middle, { members: { member: 1 } });
    const victimTopic = await buildTopic(middle, victim.slug, victim.members.member[0]);
    const lines = linesOf(path.join(dir, "first.jsonl.gz"));
    const rowOf = (table: string) => lines.find((l) => l.table === table).row;
    const community = { ...rowOf("communities"), id: 990_001, slug: "crafted" };
    const user = { ...rowOf("users"), id: 990_002, email: "crafted@example.test", handle: "crafted" };
    const topic = { ...rowOf("topics"), id: 990_003, communityId: community.id, categoryId: null, authorId: user.id };
    const forward = { acceptedReplyId: null, mergedIntoId: null };
    const attempts = {
      "admin of the other community": {
        table: "memberships",
        row: { communityId: victim.community.id, userId: user.id, role: "admin", createdAt: 1 },
      },
      "a tag on its topic": {
        table: "topicTags",
        row: { topicId: victimTopic.id, communityId: victim.community.id, tag: "injected" },
      },
      "a topic in it": { table: "topics", row: { ...topic, ...forward, communityId: victim.community.id } },
      "a topic merged into its topic": { table: "topics", row: { ...topic, ...forward, mergedIntoId: victimTopic.id } },
      "a vote on its topic": {
        table: "votes",
        row: { userId: user.id, targetType: "topic", targetId: victimTopic.id, value: 1, createdAt: 1 },
      },
      "a second community": { table: "communities", row: { ...community, id: 990_004, slug: "crafted-two" } },
    };
    for (const [what, line] of Object.entries(attempts)) {
      const file = path.join(dir, "crafted.jsonl.gz");
      const crafted = [lines[0], { table: "users", row: user }, { table: "communities", row: community }, line];
      fs.writeFileSync(file, zlib.gzipSync(crafted.map((l) => JSON.stringify(l)).join("\n")));
      await assert.rejects(importArchive(middle.deps, { file }), /is not this community's/, what);
    }
    const db = middle.deps.db;
    assert.equal(
      await db.selectFrom("communities").select("id").where("slug", "like", "crafted%").executeTakeFirst(),
      undefined,
    );
    assert.equal(
      await db.selectFrom("users").select("id").where("email", "=", user.email).executeTakeFirst(),
      undefined,
    );
    const tags = await db.selectFrom("topicTags").select("tag").where("topicId", "=", victimTopic.id).execute();
    assert.ok(!tags.some((t) => t.tag === "injected"));
  });

  test("an archive goes only where its rows are free, and a second copy needs a new address", async () => {
    const [source, middle] = envs;
    const file = path.join(dir, "first.jsonl.gz");
    const slug = linesOf(file)[0].community;
    await assert.rejects(importArchive(middle.deps, { file }), /exists already/);
    await assert.rejects(importArchive(middle.deps, { file, slug: "copy" }), /exists here already/);
    await assert.rejects(importArchive(source.deps, { file: path.join(dir, "missing.gz") }), /No such file/);
    assert.ok(slug);
  });
});

for (const database of DATABASES)
  describe(`an archive's files [${database.name}]`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-archive-files-"));
    const file = path.join(dir, "archive.jsonl.gz");
    let source: TestEnv;
    let target: TestEnv;
    let victim: { id: number; avatar: string };
    let member: { avatar: string };
    before(async () => {
      source = await createTestEnv(database, { dataDir: path.join(dir, "source") });
      target = await createTestEnv(database, { dataDir: path.join(dir, "target") });
      const { slug, admin, members } = await buildCommunity(source, { members: { member: 1 } });
      member = { avatar: await giveAvatar(source, members.member[0].id, "#3366cc") };
      // A service friend who deleted their account since: their photo key is "" (no file).
      const { user: gone } = await approvedHelper(source, slug, admin);
      const deleted = await source.api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, gone.auth);
      assert.equal(deleted.status, 204);
      await exportCommunity(source.deps, { slug, file });
      const someone = await buildUser(target);
      victim = { id: someone.id, avatar: await giveAvatar(target, someone.id, "#cc3333") };
    });
    after(async () => {
      await source.close();
      await target.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Imports the archive changed by `craft`: refused with `error`, and nothing written. */
    async function refused(craft: (lines: Record<string, unknown>[]) => unknown[], error: RegExp) {
      const before = await avatarFiles(target, victim.avatar);
      const crafted = path.join(dir, "crafted.jsonl.gz");
      fs.writeFileSync(
        crafted,
        zlib.gzipSync(
          craft(linesOf(file))
            .map((l) => JSON.stringify(l))
            .join("\n"),
        ),
      );
      await assert.rejects(importArchive(target.deps, { file: crafted }), error);
      assert.deepEqual(await avatarFiles(target, victim.avatar), before, "the other member's files are unchanged");
      assert.equal(await target.deps.db.selectFrom("communities").select("id").executeTakeFirst(), undefined);
      assert.deepEqual(await avatarFiles(target, member.avatar), [undefined, undefined, undefined]);
    }

    test("a file no row of the archive names is refused, before anything is written", async () => {
      const key = avatarFileKey(victim.avatar, 64);
      const upload = { upload: key, type: "image/webp", base64: Buffer.from("not their face").toString("base64") };
      await refused((lines) => [...lines, upload], /named by no row/);
    });

    test("a row naming a file stored here with other content is refused, before anything is written", async () => {
      const rename = (key: unknown) => String(key).replace(member.avatar, victim.avatar);
      await refused(
        (lines) =>
          lines.map((line) => {
            const row = line.row as { avatarKey?: string } | undefined;
            if (row?.avatarKey === member.avatar) return { ...line, row: { ...row, avatarKey: victim.avatar } };
            return "upload" in line ? { ...line, upload: rename(line.upload) } : line;
          }),
        /Another file is stored here/,
      );
    });

    test("a row naming a file of another kind is refused, before anything is written", async () => {
      // A helper photo or an avatar stem pointing at a stored file of another kind: deleting the
      // one later (a new photo, a deleted account) would delete the other's file.
      for (const key of [avatarFileKey(victim.avatar, 64), "helpers/0123456789abcdef0123456789abcdef.webp"])
        await refused(
          (lines) =>
            lines.map((line) => {
              const row = line.row as { avatarKey?: string } | undefined;
              return row?.avatarKey === member.avatar ? { ...line, row: { ...row, avatarKey: key } } : line;
            }),
          /is not a member's avatar/,
        );
    });

    test("a file that cannot be stored undoes the rows and the files stored before it", async () => {
      // The last of the avatar's three files claims another type than its name's: storing it fails.
      await refused((lines) => {
        const avatarLines = lines.flatMap((line, i) =>
          String(line.upload ?? "").startsWith(member.avatar) ? [i] : [],
        );
        const last = Math.max(...avatarLines);
        return lines.map((line, i) => (i === last ? { ...line, type: "image/png" } : line));
      }, /does not match type/);
    });

    test("the archive's own files go in with the member's avatar (and a deleted helper's no-photo)", async () => {
      await importArchive(target.deps, { file });
      assert.deepEqual(await avatarFiles(target, member.avatar), await avatarFiles(source, member.avatar));
      assert.ok((await avatarFiles(target, member.avatar)).every(Boolean));
      const moved = await target.deps.db
        .selectFrom("users")
        .select("id")
        .where("avatarKey", "=", member.avatar)
        .executeTakeFirst();
      assert.ok(moved, "the member's avatar is theirs here too");
    });
  });

describeEachDatabase("claiming an imported member", (env) => {
  test("a member claimed once is not handed over again, even after a single sign-on login", async () => {
    const { slug } = await buildCommunity(env());
    await importStackExchange(env().deps, { dir: FIXTURE_DUMP, slug });
    const { db } = env().deps;
    const alice = await db
      .selectFrom("users")
      .select("id")
      .where("name", "=", "Alice Router")
      .executeTakeFirstOrThrow();
    const admin = await buildUser(env(), { platformAdmin: true });
    const url = `/api/v1/admin/imported-members/${alice.id}/claim`;
    must(await env().api.post(url, { email: "alice@example.test" }, admin.auth));
    // Her first single sign-on login: the address was never confirmed, so the password is cleared.
    await claimWithProvenEmail(db, alice.id, env().clock.now());
    const cleared = await db.selectFrom("users").select("passwordHash").where("id", "=", alice.id).executeTakeFirst();
    assert.equal(cleared?.passwordHash, "");
    const again = await env().api.post(url, { email: "mallory@example.test" }, admin.auth);
    assert.equal(again.status, 409);
    const after = await db.selectFrom("users").select("email").where("id", "=", alice.id).executeTakeFirst();
    assert.equal(after?.email, "alice@example.test");
  });
});
