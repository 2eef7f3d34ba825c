import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import zlib from "node:zlib";
import { importArchive } from "../../src/transfer/index.ts";
import { describeEachDatabase } from "../helpers.ts";

const gzipLines = (file: string, lines: unknown[]) =>
  fs.writeFileSync(file, zlib.gzipSync(lines.map((l) => JSON.stringify(l)).join("\n")));

const COMMUNITY = 882_002;
const TOPIC = {
  id: 882_010,
  communityId: COMMUNITY,
  authorId: 882_001,
  kind: "question",
  title: "Typed?",
  body: "Are rows checked?",
  bodyHtml: "",
  score: 0,
  createdAt: 1,
  lastActivityAt: 1,
};

/** A small archive of its own (ids and address free here): a member, the community, a topic with a reply and a vote. */
const archiveWith = ({ topic = {}, reply = {}, vote = {} }: { topic?: object; reply?: object; vote?: object }) => [
  { format: "crowdservice-community", version: 1, community: "typed-probe", exportedAt: 1 },
  {
    table: "users",
    row: { id: 882_001, email: "typed@example.test", name: "Typed", passwordHash: "", locale: null, createdAt: 1 },
  },
  {
    table: "communities",
    row: {
      id: COMMUNITY,
      slug: "typed-probe",
      name: "Typed",
      description: "",
      visibility: "public",
      locale: "en",
      createdAt: 1,
    },
  },
  { table: "memberships", row: { communityId: COMMUNITY, userId: 882_001, role: "member", createdAt: 1 } },
  { table: "topics", row: { ...TOPIC, ...topic } },
  {
    table: "replies",
    row: {
      id: 882_020,
      topicId: TOPIC.id,
      authorId: 882_001,
      body: "Yes.",
      bodyHtml: "",
      official: 0,
      score: 0,
      createdAt: 2,
      ...reply,
    },
  },
  {
    table: "votes",
    row: { targetType: "topic", targetId: TOPIC.id, userId: 882_001, value: 1, createdAt: 1, ...vote },
  },
];

describeEachDatabase("an archive's rows are checked for their columns' types before anything is written", (env) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-archive-types-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const topicsHere = async () => (await env().deps.db.selectFrom("topics").select("id").execute()).length;

  test("a string for a number, a number for a string or a null where none belongs is refused, naming table, row and field", async () => {
    const file = path.join(dir, "typed.jsonl.gz");
    const crafted: [Parameters<typeof archiveWith>[0], RegExp][] = [
      [{ topic: { score: "lots" } }, /Row 1 of topics \(id 882010\): score must be an integer, not "lots"\./],
      [{ topic: { title: 42 } }, /Row 1 of topics \(id 882010\): title must be a string, not 42\./],
      [{ topic: { createdAt: null } }, /Row 1 of topics \(id 882010\): createdAt must be an integer, not null\./],
      [{ topic: { score: 1.5 } }, /score must be an integer/],
      [{ vote: { value: "1; drop table votes" } }, /Row 1 of votes: value must be an integer/],
      [{ reply: { official: true } }, /Row 1 of replies \(id 882020\): official must be an integer, not true\./],
      [
        { reply: { body: "Yes.", editedAt: "later" } },
        /Row 1 of replies \(id 882020\): editedAt must be an integer or null/,
      ],
      [{ vote: { createdAt: { at: 1 } } }, /Row 1 of votes: createdAt must be an integer, not {"at":1}\./],
    ];
    const before = await topicsHere();
    for (const [change, error] of crafted) {
      gzipLines(file, archiveWith(change));
      await assert.rejects(importArchive(env().deps, { file }), error, JSON.stringify(change));
      assert.equal(await topicsHere(), before, "nothing is written");
    }
    // An audit entry's details are read as a JSON object (its page, the member ids they name).
    const audit = (details: string) => ({
      table: "auditLog",
      row: { id: 882_030, communityId: COMMUNITY, actorId: 882_001, action: "post.edit", createdAt: 1, details },
    });
    for (const details of ["not json", "[1]"]) {
      gzipLines(file, [...archiveWith({}), audit(details)]);
      await assert.rejects(importArchive(env().deps, { file }), /details that are no JSON object/, details);
      assert.equal(await topicsHere(), before, "nothing is written");
    }
    gzipLines(file, archiveWith({}));
    const { counts } = await importArchive(env().deps, { file });
    assert.equal(counts.topics, 1);
    assert.equal(counts.replies, 1);
    assert.equal(counts.votes, 1);
  });
});
