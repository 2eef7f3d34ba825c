import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import zlib from "node:zlib";
import { exportCommunity, importArchive } from "../../src/transfer/index.ts";
import { ARCHIVE_TABLES } from "../../src/transfer/archive.tables.ts";
import { dumpRows } from "../../src/transfer/stackexchange.dump.ts";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { FIXTURE_DUMP } from "./support.ts";
import { cli } from "../cli/support.ts";

const gzipLines = (file: string, lines: unknown[]) =>
  fs.writeFileSync(file, zlib.gzipSync(lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")));

const linesOf = (file: string) =>
  zlib
    .gunzipSync(fs.readFileSync(file))
    .toString()
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

const HEADER = { format: "crowdservice-community", version: 1, community: "x", exportedAt: 1 };

describe("unreadable archives and dumps", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-malformed-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("a directory given as the archive is a one-line error, not a crash with a stack trace", async () => {
    const result = await cli(path.join(dir, "data"), "import", "crowdservice", "--file", dir);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^crowdservice: .* is not a file\.\n$/);
  });

  test("a dump file that cannot be read is refused with its name, not thrown outside the import", async () => {
    const unreadable = path.join(dir, "Posts.xml.gz");
    fs.mkdirSync(unreadable);
    await assert.rejects(
      async () => {
        for await (const _row of dumpRows(unreadable));
      },
      (error: Error & { code?: string }) =>
        error.code === "bad_request" && /is not a readable dump file/.test(error.message),
    );
    const site = path.join(dir, "broken.stackexchange.com");
    fs.cpSync(FIXTURE_DUMP, site, { recursive: true });
    for (const name of fs.readdirSync(site)) if (name.startsWith("Posts.")) fs.rmSync(path.join(site, name));
    fs.writeFileSync(path.join(site, "Posts.xml.gz"), "not gzip at all");
    const result = await cli(path.join(dir, "data"), "import", "stackexchange", "--dir", site, "--community", "broken");
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Posts\.xml\.gz is not a readable dump file: /);
  });

  test("an archive whose own address is invalid, or a directory to restore, is named in the message", async () => {
    const file = path.join(dir, "slug.jsonl.gz");
    gzipLines(file, [HEADER, { table: "communities", row: { id: 1, slug: "Not A Slug" } }]);
    await assert.rejects(importArchive({} as never, { file }), /^Error: Invalid community address "Not A Slug"\.$/);
    const restored = await cli(path.join(dir, "fresh"), "restore", "--file", dir);
    assert.equal(restored.code, 1, restored.stderr);
    assert.match(restored.stderr, /^crowdservice: .* is not a file\.\n$/);
  });

  test("lines that are no row or file, or rows of tables an archive never holds, are refused", async () => {
    const file = path.join(dir, "bad.jsonl.gz");
    for (const line of [
      { table: "topics", row: null },
      { table: "topics", row: [1] },
      "42",
      { upload: "helpers/x.webp" },
      { table: "sessions", row: { id: 1, userId: 1 } },
    ]) {
      gzipLines(file, [HEADER, line]);
      await assert.rejects(importArchive({} as never, { file }), /is not a readable archive: line 2 /, String(line));
    }
  });
});

describeEachDatabase("an archive naming rows it does not hold", (env) => {
  test("a poll, flag, category, duplicate, booking or member of another community is refused", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-crafted-"));
    try {
      const { deps, api } = env();
      const source = await buildCommunity(env(), { members: { member: 1 } });
      await buildTopic(env(), source.slug, source.members.member[0]);
      const file = path.join(dir, "source.jsonl.gz");
      await exportCommunity(deps, { slug: source.slug, file });
      const victim = await buildCommunity(env(), { categories: ["Private"], members: { member: 1 } });
      const victimTopic = await buildTopic(env(), victim.slug, victim.members.member[0]);
      const lines = linesOf(file);
      const rowOf = (table: string) => lines.find((l) => l.table === table).row;
      const community = { ...rowOf("communities"), id: 990_001, slug: "crafted" };
      const user = { ...rowOf("users"), id: 990_002, email: "crafted@example.test", handle: "crafted" };
      const topic = {
        ...rowOf("topics"),
        id: 990_003,
        communityId: community.id,
        categoryId: null,
        authorId: user.id,
        acceptedReplyId: null,
        mergedIntoId: null,
      };
      const base = [lines[0], { table: "users", row: user }, { table: "communities", row: community }];
      const attempts: Record<string, unknown[]> = {
        "a poll on its topic": [
          {
            table: "polls",
            row: {
              id: 990_004,
              communityId: community.id,
              topicId: victimTopic.id,
              multiple: 0,
              closesAt: null,
              createdBy: user.id,
              createdAt: 1,
            },
          },
        ],
        "its topic as the original of a duplicate": [
          { table: "topics", row: topic },
          {
            table: "topicDuplicates",
            row: { topicId: topic.id, originalId: victimTopic.id, markedBy: null, createdAt: 1 },
          },
        ],
        "a topic in its category": [{ table: "topics", row: { ...topic, categoryId: victim.categories[0].id } }],
        "a flag on its topic": [
          {
            table: "postFlags",
            row: {
              id: 990_005,
              communityId: community.id,
              targetType: "topic",
              targetId: victimTopic.id,
              userId: user.id,
              reason: "spam",
              text: "",
              trusted: 1,
              status: "open",
              createdAt: 1,
            },
          },
        ],
        "an idea status on its topic": [
          {
            table: "ideaStatuses",
            row: { communityId: community.id, topicId: victimTopic.id, status: "done", changedAt: 1 },
          },
        ],
        "a mapping to its topic": [
          {
            table: "externalIds",
            row: { communityId: community.id, source: "s", kind: "topic", externalId: "1", localId: victimTopic.id },
          },
        ],
        "a member the archive does not hold": [
          {
            table: "memberships",
            row: { communityId: community.id, userId: victim.members.member[0].id, role: "admin", createdAt: 1 },
          },
        ],
      };
      const crafted = path.join(dir, "crafted.jsonl.gz");
      for (const [what, extra] of Object.entries(attempts)) {
        gzipLines(crafted, [...base, ...extra]);
        await assert.rejects(importArchive(deps, { file: crafted }), /is not this community's/, what);
      }
      const db = deps.db;
      assert.equal(
        await db.selectFrom("communities").select("id").where("slug", "=", "crafted").executeTakeFirst(),
        undefined,
      );
      assert.equal(await db.selectFrom("polls").select("id").executeTakeFirst(), undefined);
      assert.equal(await db.selectFrom("postFlags").select("id").executeTakeFirst(), undefined);
      const page = await api.get(`/api/v1/topics/${victimTopic.id}`);
      assert.equal(page.status, 200);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeEachDatabase("an export while the community is written to", (env) => {
  test("is one moment: a reply posted after its topic was read is not in the archive", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-snapshot-"));
    try {
      const { deps } = env();
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const topic = await buildTopic(env(), slug, members.member[0]);
      const reply = await buildReply(env(), topic.id, members.member[1]);
      const topicsRead = ARCHIVE_TABLES.findIndex((spec) => spec.table === "topics") + 1;
      let late: Promise<unknown> | undefined;
      const file = path.join(dir, "archive.jsonl.gz");
      await exportCommunity(deps, {
        slug,
        file,
        onProgress: ({ done }) => {
          // Another writer (the running server) answers the topic once the export has read the topics.
          if (done === topicsRead && !late)
            late = deps.db
              .insertInto("replies")
              .values({
                topicId: topic.id,
                authorId: members.member[0].id,
                body: "Late answer",
                bodyHtml: "<p>Late answer</p>",
                official: 0,
                score: 0,
                createdAt: 2,
                editedAt: null,
              })
              .execute();
        },
      });
      await late;
      const replies = linesOf(file).filter((l) => l.table === "replies");
      assert.deepEqual(
        replies.map((l) => l.row.id),
        [reply.id],
        "the archive holds the replies of the moment it was read",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
