import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import zlib from "node:zlib";
import { exportCommunity, importArchive } from "../../src/transfer/index.ts";
import {
  DATABASES,
  type TestEnv,
  buildCommunity,
  buildReply,
  buildTopic,
  createTestEnv,
  describeEachDatabase,
} from "../helpers.ts";

type Line = { table?: string; row?: Record<string, unknown> };

const linesOf = (file: string): Line[] =>
  zlib
    .gunzipSync(fs.readFileSync(file))
    .toString()
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

const gzipLines = (file: string, lines: unknown[]) =>
  fs.writeFileSync(file, zlib.gzipSync(lines.map((l) => JSON.stringify(l)).join("\n")));

const SCRIPT = '<img src="x" onerror="alert(1)"><script>alert(2)</script>';

describeEachDatabase("a crafted archive's rows are not taken as they are", (env) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-archive-crafted-"));
  let target: TestEnv;
  let exported: { file: string; slug: string; topicId: number; articleId: number };
  before(async () => {
    const source = env();
    const { slug, members, admin } = await buildCommunity(source, { members: { member: 1 } });
    const author = members.member[0];
    const topic = await buildTopic(source, slug, author, { tags: ["router"] });
    const reply = await buildReply(source, topic.id, author);
    const comment = await source.api.post(`/api/v1/replies/${reply.id}/comments`, { body: "Thanks!" }, author.auth);
    assert.equal(comment.status, 201, JSON.stringify(comment.body));
    const article = await source.api.post(
      `/api/v1/communities/${slug}/articles`,
      { title: "Resetting the router", body: "Hold the button." },
      admin.auth,
    );
    assert.equal(article.status, 201, JSON.stringify(article.body));
    const file = path.join(dir, "source.jsonl.gz");
    await exportCommunity(source.deps, { slug, file });
    exported = { file, slug, topicId: topic.id, articleId: article.body.article.id };
    const database = DATABASES.find((d) => d.name === source.deps.dialect);
    assert.ok(database);
    target = await createTestEnv(database);
  });
  after(async () => {
    await target?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a post's HTML is rendered again from its Markdown, never taken from the archive", async () => {
    const lines = linesOf(exported.file).map((l) =>
      l.row && "bodyHtml" in l.row ? { ...l, row: { ...l.row, bodyHtml: SCRIPT } } : l,
    );
    const tables = new Set(lines.filter((l) => l.row && l.row.bodyHtml === SCRIPT).map((l) => l.table));
    assert.deepEqual([...tables].sort(), ["articles", "comments", "replies", "topics"]);
    const crafted = path.join(dir, "script.jsonl.gz");
    gzipLines(crafted, lines);
    await importArchive(target.deps, { file: crafted });

    const { topic, replies } = (await target.api.get(`/api/v1/topics/${exported.topicId}`)).body;
    assert.equal(topic.bodyHtml, "<p>It keeps blinking red.</p>\n");
    assert.equal(replies[0].bodyHtml, "<p>Hold the reset button for ten seconds.</p>\n");
    assert.equal(replies[0].comments[0].bodyHtml, "<p>Thanks!</p>\n");
    const page = await target.api.get(topic.url);
    assert.equal(page.status, 200);
    assert.doesNotMatch(String(page.body), /onerror|<script>alert/);
    for (const table of ["topics", "replies", "comments", "articles"] as const) {
      const stored = await target.deps.db.selectFrom(table).select("bodyHtml").execute();
      assert.ok(stored.length > 0, table);
      for (const row of stored) assert.doesNotMatch(row.bodyHtml, /onerror|<script/, table);
    }
  });

  test("a topic's tag naming another community here is refused, and so is a post without a text body", async () => {
    const victim = await buildCommunity(target, { members: { member: 1 } });
    // Under another address and with ids free here (the first test imported the archive's own).
    const shift = (row: Record<string, unknown>) => {
      const moved = { ...row };
      for (const column of ["id", "communityId", "topicId", "replyId", "categoryId", "targetId", "sourceTopicId"])
        if (typeof moved[column] === "number") moved[column] = (moved[column] as number) + 700_000;
      return moved;
    };
    const lines = linesOf(exported.file).map((l) => (l.row && l.table !== "users" ? { ...l, row: shift(l.row) } : l));
    const topicTags = (communityId: number) =>
      lines.map((l) => (l.table === "topicTags" ? { ...l, row: { ...l.row, communityId } } : l));
    const crafted = path.join(dir, "tag.jsonl.gz");
    const tagsBefore = await target.deps.db.selectFrom("topicTags").selectAll().execute();

    gzipLines(crafted, topicTags(victim.community.id));
    await assert.rejects(importArchive(target.deps, { file: crafted, slug: "crafted-tag" }), /is not this community's/);
    gzipLines(
      crafted,
      lines.map((l) => (l.table === "replies" ? { ...l, row: { ...l.row, body: null } } : l)),
    );
    await assert.rejects(importArchive(target.deps, { file: crafted, slug: "crafted-tag" }), /has no text body/);
    assert.deepEqual(await target.deps.db.selectFrom("topicTags").selectAll().execute(), tagsBefore);
    assert.equal(
      await target.deps.db.selectFrom("communities").select("id").where("slug", "=", "crafted-tag").executeTakeFirst(),
      undefined,
    );

    // The same archive with its tags its own community's goes in, the tag filter finding its topic.
    const community = lines.find((l) => l.table === "communities")?.row;
    gzipLines(crafted, topicTags(Number(community?.id)));
    await importArchive(target.deps, { file: crafted, slug: "crafted-tag" });
    const listed = await target.api.get("/api/v1/communities/crafted-tag/topics?tag=router");
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.deepEqual(
      listed.body.topics.map((t: { id: number }) => t.id),
      [exported.topicId + 700_000],
    );
  });
});
