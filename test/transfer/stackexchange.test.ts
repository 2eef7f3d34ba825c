import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { rollUpCommunity } from "../../src/insights/insights.rollups.jobs.ts";
import { test } from "node:test";
import { claimWithProvenEmail } from "../../src/accounts/index.ts";
import { createApiToken } from "../../src/accounts/accounts.service.ts";
import { title as titleRule } from "../../src/topics/index.ts";
import { importStackExchange } from "../../src/transfer/index.ts";
import { type TestEnv, addMember, buildUser, describeEachDatabase } from "../helpers.ts";
import { FIXTURE_DUMP, communitySnapshot } from "./support.ts";

const SITE = "demo.stackexchange.com";

/** The local id of a Stack Exchange record (a question by default). */
async function topicOf(env: TestEnv, communityId: number, externalId: string, kind = "topic"): Promise<number> {
  const row = await env.deps.db
    .selectFrom("externalIds")
    .select("localId")
    .where("communityId", "=", communityId)
    .where("kind", "=", kind as "topic")
    .where("externalId", "=", externalId)
    .executeTakeFirstOrThrow();
  return row.localId;
}

/** A question's topic row by its Stack Exchange id. */
async function topicRow(env: TestEnv, communityId: number, questionId: string) {
  const id = await topicOf(env, communityId, questionId);
  return env.deps.db.selectFrom("topics").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/** Question 1's solution as the topic holds it: accepted, or withdrawn while hidden. */
async function selectSolution(env: TestEnv, communityId: number) {
  const row = await topicRow(env, communityId, "1");
  return { acceptedReplyId: row.acceptedReplyId, hiddenSolutionId: row.hiddenSolutionId };
}

/** A post row of a made-up dump: these attributes, a date and a body. */
const post = (attrs: string) => `${attrs} CreationDate="2021-03-01T09:00:00.000" Body="&lt;p&gt;Text&lt;/p&gt;"`;

/** A new, empty site directory. */
const siteDir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cs-se-")), SITE);

/** A copy of the fixture dump that a test may change. */
function copyOfDump(): string {
  const dir = siteDir();
  fs.cpSync(FIXTURE_DUMP, dir, { recursive: true });
  return dir;
}

/** A dump of these rows (each one's attributes as in the XML), one file per key. */
function dumpOf(files: Record<string, string[]>): string {
  const dir = siteDir();
  fs.mkdirSync(dir);
  for (const [name, rows] of Object.entries(files))
    fs.writeFileSync(
      path.join(dir, `${name}.xml`),
      [`<${name.toLowerCase()}>`, ...rows.map((row) => `  <row ${row} />`), `</${name.toLowerCase()}>`].join("\n"),
    );
  return dir;
}

/** Replaces text in one file of a dump copy. */
function edit(dir: string, file: string, ...pairs: [string, string][]) {
  const text = pairs.reduce(
    (t, [from, to]) => {
      assert.ok(t.includes(from), from);
      return t.replace(from, to);
    },
    fs.readFileSync(path.join(dir, file), "utf8"),
  );
  fs.writeFileSync(path.join(dir, file), text);
}

describeEachDatabase("Stack Exchange import", (env) => {
  test("imports every kind of row: questions, answers, the accepted one, comments, votes, links, members", async () => {
    const summary = await importStackExchange(env().deps, { dir: FIXTURE_DUMP, slug: "se-demo", name: "SE Demo" });
    assert.equal(summary.created, true);
    assert.equal(summary.site, SITE);
    const { api } = env();
    const id = await topicOf(env(), summary.communityId, "1");
    const res = await api.get(`/api/v1/topics/${id}`);
    assert.equal(res.status, 200);
    const { topic, replies } = res.body;
    assert.deepEqual(topic.source, {
      type: "stackexchange",
      site: SITE,
      id: "1",
      url: "https://demo.stackexchange.com/q/1",
    });
    assert.equal(topic.title, "How do I reset my router to factory settings?");
    assert.deepEqual(topic.tags, ["router", "reset"]);
    assert.equal(topic.author.name, "Alice Router");
    assert.equal(topic.score, 5);
    assert.equal(topic.createdAt, "2021-02-01T09:00:00.000Z");
    assert.equal(topic.status, "solved");
    // The script is gone, with its text; the rest of the HTML came through Markdown.
    assert.doesNotMatch(topic.bodyHtml, /script|pwned/i);
    assert.match(topic.bodyHtml, /<strong>factory settings<\/strong>/);
    assert.match(topic.bodyHtml, /<code>reboot<\/code> &amp; unplugging/);
    assert.equal(replies.length, 2);
    assert.equal(replies[0].accepted, true);
    assert.equal(replies[0].author.name, "Carol Fixit");
    assert.match(replies[0].bodyHtml, /<ol>\s*<li>Power on<\/li>/);
    assert.match(replies[0].bodyHtml, /<pre><code>ping 192.168.1.1/);
    assert.deepEqual(
      replies[0].comments.map((c: { author: { name: string }; body: string }) => [c.author.name, c.body]),
      [["Eve Left", "Worked for me <3"]],
    );
    assert.equal(replies[1].author.name, "Bob & Co");
    assert.equal(replies[1].comments.length, 2);
    // The comment on the question itself is under the question, not under an answer.
    assert.deepEqual(
      topic.comments.map((c: { author: { name: string }; body: string }) => [c.author.name, c.body]),
      [["Bob & Co", "Which model is it?"]],
    );
    assert.equal(topic.followerCount, 1, "the favorite of user 2");

    // The deleted author is a member known by the name the dump kept.
    const orphan = await api.get(`/api/v1/topics/${await topicOf(env(), summary.communityId, "4")}`);
    assert.equal(orphan.body.topic.author.name, "Dave Gone");
    assert.deepEqual(orphan.body.topic.tags, ["wifi", "router"]);

    const duplicate = await topicOf(env(), summary.communityId, "6");
    const mark = await env()
      .deps.db.selectFrom("topicDuplicates")
      .selectAll()
      .where("topicId", "=", duplicate)
      .executeTakeFirst();
    assert.equal(mark?.originalId, id);
    const voter = await env()
      .deps.db.selectFrom("votes")
      .innerJoin("users", "users.id", "votes.userId")
      .select(["users.name", "votes.value", "votes.targetType"])
      .execute();
    assert.deepEqual(voter, [{ name: "Alice Router", value: 1, targetType: "reply" }]);
    assert.equal(summary.counts.topics, 3);
    assert.equal(summary.counts.replies, 3);
    assert.equal(summary.counts.comments, 4);
    assert.equal(summary.counts["of which on questions"], 1);
    assert.equal(summary.counts["skipped answers (question not in the dump)"], 1);
    assert.equal(summary.counts.duplicates, 1);
  });

  test("imported members have no login until a platform admin hands the account over", async () => {
    const community = await env()
      .deps.db.selectFrom("communities")
      .select("id")
      .where("slug", "=", "se-demo")
      .executeTakeFirstOrThrow();
    const members = await env()
      .deps.db.selectFrom("memberships")
      .innerJoin("users", "users.id", "memberships.userId")
      .select(["users.name", "users.passwordHash", "users.email", "memberships.role"])
      .where("memberships.communityId", "=", community.id)
      .orderBy("users.name")
      .execute();
    assert.deepEqual(
      members.map((m) => m.name),
      ["Alice Router", "Bob & Co", "Carol Fixit", "Community", "Dave Gone", "Eve Left"],
    );
    for (const member of members) {
      assert.equal(member.passwordHash, "");
      assert.equal(member.role, "member");
      assert.match(member.email, /@import\.invalid$/);
    }
    const login = await env().api.post("/api/v1/auth/login", { email: members[0].email, password: "" });
    assert.notEqual(login.status, 200);
  });

  test("a platform admin hands an imported member to its owner, once", async () => {
    const { api } = env();
    const alice = await env()
      .deps.db.selectFrom("users")
      .select("id")
      .where("name", "=", "Alice Router")
      .executeTakeFirstOrThrow();
    const admin = await buildUser(env(), { platformAdmin: true });
    const someone = await buildUser(env());
    const url = `/api/v1/admin/imported-members/${alice.id}/claim`;
    assert.equal((await api.post(url, { email: "alice@example.test" }, someone.auth)).status, 403);
    assert.equal((await api.post(url, { email: someone.email }, admin.auth)).status, 409, "an email in use");
    const claimed = await api.post(url, { email: "Alice@Example.test" }, admin.auth);
    assert.equal(claimed.status, 200);
    assert.equal(claimed.body.email, "alice@example.test");
    const login = await api.post("/api/v1/auth/login", {
      email: "alice@example.test",
      password: claimed.body.password,
    });
    assert.equal(login.status, 200);
    assert.equal((await api.post(url, { email: "other@example.test" }, admin.auth)).status, 409, "claimed already");
    const notImported = `/api/v1/admin/imported-members/${someone.id}/claim`;
    assert.equal((await api.post(notImported, { email: "x@example.test" }, admin.auth)).status, 404);
  });

  test("search finds imported topics and the expertise model knows who answered", async () => {
    const { api } = env();
    const res = await api.get("/api/v1/communities/se-demo/search?q=factory%20settings");
    assert.equal(res.status, 200);
    const titles = res.body.results.map((r: { topic: { title: string } | null }) => r.topic?.title);
    assert.ok(titles.includes("How do I reset my router to factory settings?"), String(titles));
    const carol = await env()
      .deps.db.selectFrom("memberExpertise")
      .innerJoin("users", "users.id", "memberExpertise.userId")
      .select("memberExpertise.key")
      .where("users.name", "=", "Carol Fixit")
      .execute();
    assert.ok(carol.some((e) => e.key === "tag:router"));
  });

  test("the topic page links to the original, as the licence requires", async () => {
    const community = await env()
      .deps.db.selectFrom("communities")
      .select("id")
      .where("slug", "=", "se-demo")
      .executeTakeFirstOrThrow();
    const { body } = await env().api.get(`/api/v1/topics/${await topicOf(env(), community.id, "1")}`);
    const page = await env().app.inject({ method: "GET", url: body.topic.url });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<a href="https:\/\/demo\.stackexchange\.com\/q\/1"[^>]*>demo\.stackexchange\.com<\/a>/);
    assert.match(page.body, /CC BY-SA/);
  });

  test("a second run updates what changed and duplicates nothing", async () => {
    const dir = copyOfDump();
    const before = await communitySnapshot(env().deps.db, "se-demo");
    const posts = path.join(dir, "Posts.xml");
    fs.writeFileSync(posts, fs.readFileSync(posts, "utf8").replace("Why does my wifi drop", "Why does my Wi-Fi drop"));
    const again = await importStackExchange(env().deps, { dir, slug: "se-demo" });
    assert.equal(again.created, false);
    const after = await communitySnapshot(env().deps.db, "se-demo");
    assert.deepEqual(after.counts, before.counts);
    assert.equal(after.counts.comments, 4, "the comment on the question is there once, like the others");
    assert.deepEqual(after.topics.find((t) => t.source === "1")?.comments, [
      { body: "Which model is it?", author: "Bob & Co" },
    ]);
    assert.equal(again.counts.comments, 4);
    const wifi = after.topics.find((t) => t.source === "4");
    assert.equal(wifi?.title, "Why does my Wi-Fi drop every evening?");
    assert.deepEqual(
      { ...after, topics: after.topics.filter((t) => t.source !== "4") },
      { ...before, topics: before.topics.filter((t) => t.source !== "4") },
    );
  });

  test("an import interrupted after a batch resumes to the same result as an uninterrupted one", async () => {
    const clean = await communitySnapshot(env().deps.db, "se-demo");
    const dir = copyOfDump();
    fs.writeFileSync(
      path.join(dir, "Posts.xml"),
      fs.readFileSync(path.join(FIXTURE_DUMP, "Posts.xml"), "utf8"), // the original titles again
    );
    await importStackExchange(env().deps, { dir, slug: "se-demo" });
    const expected = await communitySnapshot(env().deps.db, "se-demo");
    assert.deepEqual(expected.counts, clean.counts);

    let batches = 0;
    const crash = new Error("power cut");
    await assert.rejects(
      importStackExchange(env().deps, {
        dir,
        slug: "se-resumed",
        batchSize: 2,
        onProgress: (p) => {
          if (p.phase === "Posts" && ++batches === 2) throw crash;
        },
      }),
      crash,
    );
    const partial = await communitySnapshot(env().deps.db, "se-resumed");
    assert.ok(partial.topics.length > 0 && partial.topics.length < expected.topics.length, "stopped half-way");
    await importStackExchange(env().deps, { dir, slug: "se-resumed", batchSize: 2 });
    assert.deepEqual(await communitySnapshot(env().deps.db, "se-resumed"), expected);
  });
  test("an accepted answer counts only in its own question", async () => {
    const dir = dumpOf({
      Posts: [
        post('Id="1" PostTypeId="1" AcceptedAnswerId="12" Title="The first question"'),
        post('Id="2" PostTypeId="1" AcceptedAnswerId="12" Title="The second question"'),
        post('Id="12" PostTypeId="2" ParentId="2"'),
      ],
    });
    const { communityId, counts } = await importStackExchange(env().deps, { dir, slug: "se-accepted" });
    assert.equal((await topicRow(env(), communityId, "1")).acceptedReplyId, null, "answer 12 is the second question's");
    assert.equal(
      (await topicRow(env(), communityId, "2")).acceptedReplyId,
      await topicOf(env(), communityId, "12", "reply"),
    );
    assert.equal(counts["accepted answers"], 1);
  });

  test("an imported accepted answer is accepted by the question's author", async () => {
    const { communityId } = await importStackExchange(env().deps, { dir: FIXTURE_DUMP, slug: "se-accepted-by" });
    const question = await topicRow(env(), communityId, "1");
    assert.equal(question.acceptedReplyId, await topicOf(env(), communityId, "3", "reply"));
    assert.equal(question.acceptedBy, question.authorId);
  });

  test("imported titles and names are one line, without control or bidi characters", async () => {
    const dir = dumpOf({
      Users: ['Id="7" DisplayName="Mallory&#x202E;&#xD;&#xA;Admin&#x7;" CreationDate="2021-01-01T00:00:00.000"'],
      Posts: [post('Id="1" PostTypeId="1" OwnerUserId="7" Title="Line one&#xD;&#xA;Bcc: x &#x202E;txt.exe"')],
    });
    const { communityId } = await importStackExchange(env().deps, { dir, slug: "se-one-line" });
    const question = await topicRow(env(), communityId, "1");
    assert.equal(question.title, "Line one Bcc: x txt.exe");
    assert.ok(titleRule.safeParse(question.title).success, "as safe as a typed title");
    const author = await env()
      .deps.db.selectFrom("users")
      .select("name")
      .where("id", "=", question.authorId)
      .executeTakeFirstOrThrow();
    assert.equal(author.name, "Mallory Admin");
  });

  test("a Posts file that cannot be read creates no community", async () => {
    const dir = copyOfDump();
    for (const name of fs.readdirSync(dir)) if (name.startsWith("Posts.")) fs.rmSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, "Posts.xml.gz"), "not gzip at all");
    await assert.rejects(importStackExchange(env().deps, { dir, slug: "se-unreadable" }), /not a readable dump file/);
    const created = await env().deps.db.selectFrom("communities").select("id").where("slug", "=", "se-unreadable");
    assert.equal((await created.execute()).length, 0);
  });

  test("an imported score keeps its anonymous votes when members vote here", async () => {
    const dir = dumpOf({
      Posts: [
        post('Id="1" PostTypeId="1" Score="57" Title="A question many found useful"'),
        post('Id="2" PostTypeId="2" ParentId="1" Score="12"'),
        post('Id="3" PostTypeId="1" Score="3" Title="The same question asked again"'),
      ],
    });
    const { communityId } = await importStackExchange(env().deps, { dir, slug: "se-kept-scores" });
    const voter = await buildUser(env());
    await addMember(env(), communityId, voter.id, "member");
    const topic = await topicRow(env(), communityId, "1");
    const replyId = await topicOf(env(), communityId, "2", "reply");
    const voteOn = async (url: string, value: number) => {
      const res = await env().api.put(url, { value }, voter.auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.score;
    };
    assert.equal(await voteOn(`/api/v1/topics/${topic.id}/vote`, 1), 58, "was 1: the 57 anonymous votes dropped");
    assert.equal(await voteOn(`/api/v1/topics/${topic.id}/vote`, -1), 56);
    assert.equal(await voteOn(`/api/v1/topics/${topic.id}/vote`, 0), 57);
    assert.equal(await voteOn(`/api/v1/replies/${replyId}/vote`, 1), 13);
    assert.equal((await topicRow(env(), communityId, "1")).score, 57);

    // Merged into it, another question's votes add to its score; they do not replace it.
    const other = await topicRow(env(), communityId, "3");
    assert.equal(await voteOn(`/api/v1/topics/${other.id}/vote`, 1), 4);
    const admin = await buildUser(env());
    await addMember(env(), communityId, admin.id, "admin");
    const merged = await env().api.post(`/api/v1/topics/${other.id}/merge`, { intoTopicId: topic.id }, admin.auth);
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    assert.equal((await topicRow(env(), communityId, "1")).score, 58);
  });

  test("scores are integers within PostgreSQL's integer: clamped, truncated, or 0", async () => {
    const dir = dumpOf({
      Posts: [
        post('Id="1" PostTypeId="1" Score="99999999999" Title="The first question"'),
        post('Id="2" PostTypeId="1" Score="1.5" Title="The second question"'),
        post('Id="12" PostTypeId="2" ParentId="2" Score="-99999999999"'),
        post('Id="13" PostTypeId="2" ParentId="2" Score="many"'),
      ],
    });
    const { communityId } = await importStackExchange(env().deps, { dir, slug: "se-scores" });
    const [first, second] = [await topicRow(env(), communityId, "1"), await topicRow(env(), communityId, "2")];
    assert.deepEqual([first.score, second.score], [2147483647, 1]);
    const replies = await env()
      .deps.db.selectFrom("replies")
      .select("score")
      .where("topicId", "=", second.id)
      .orderBy("id")
      .execute();
    assert.deepEqual(
      replies.map((r) => r.score),
      [-2147483648, 0],
    );
  });

  test("duplicate links are kept as marks on the chain's original; one closing a loop is not kept", async () => {
    // 2 -> 1, then 3 -> 2 (a chain: kept as 3 -> 1), then 1 -> 3 (a loop: 1 would hide its original).
    // Suggestions leave out every marked topic, so a loop would hide the whole chain; 4 -> 3 goes to 1.
    const link = (id: number, from: number, to: number) =>
      `Id="${id}" CreationDate="2021-03-02T09:00:00.000" PostId="${from}" RelatedPostId="${to}" LinkTypeId="3"`;
    const dir = dumpOf({
      Posts: [1, 2, 3, 4].map((id) => post(`Id="${id}" PostTypeId="1" Title="Question number ${id}"`)),
      PostLinks: [link(11, 2, 1), link(12, 3, 2), link(13, 1, 3), link(14, 4, 3)],
    });
    for (const run of [1, 2]) {
      const { communityId, counts } = await importStackExchange(env().deps, { dir, slug: "se-loops" });
      assert.equal(counts.duplicates, 3, `run ${run}`);
      assert.equal(counts["duplicate links closing a loop (not kept)"], 1, `run ${run}`);
      const ids = await Promise.all([1, 2, 3, 4].map((id) => topicOf(env(), communityId, String(id))));
      const marks = await env()
        .deps.db.selectFrom("topicDuplicates")
        .select(["topicId", "originalId"])
        .where("topicId", "in", ids)
        .orderBy("topicId")
        .execute();
      assert.deepEqual(
        marks.map((m) => [ids.indexOf(m.topicId) + 1, ids.indexOf(m.originalId) + 1]),
        [
          [2, 1],
          [3, 1],
          [4, 1],
        ],
        `run ${run}`,
      );
    }
  });

  test("a body nested thousands of tags deep is imported as its text, not a stack overflow", async () => {
    const deep = `${"&lt;div&gt;".repeat(5000)}&lt;script&gt;alert(1)&lt;/script&gt;Deep &lt;b&gt;text&lt;/b&gt;`;
    const dir = dumpOf({
      Posts: [`Id="1" PostTypeId="1" Title="Deep" CreationDate="2021-03-01T09:00:00.000" Body="${deep}"`],
    });
    const { communityId, counts } = await importStackExchange(env().deps, { dir, slug: "se-deep" });
    assert.equal(counts.topics, 1);
    const topic = await topicRow(env(), communityId, "1");
    assert.equal(topic.body, "Deep text");
    assert.ok(!topic.bodyHtml.includes("alert"));
  });

  test("posts and comments without an Id are skipped and counted, and a second run duplicates nothing", async () => {
    const dir = dumpOf({
      Posts: [post('PostTypeId="1" Title="No id"'), post('Id="1" PostTypeId="1" Title="The first question"')],
      Comments: ['PostId="1" Text="No id either"', 'Id="7" PostId="1" Text="A comment with its id"'],
    });
    const first = await importStackExchange(env().deps, { dir, slug: "se-no-ids" });
    assert.equal(first.counts["skipped rows without an Id"], 2);
    assert.deepEqual([first.counts.topics, first.counts.comments], [1, 1]);
    await importStackExchange(env().deps, { dir, slug: "se-no-ids" });
    const topics = await env()
      .deps.db.selectFrom("topics")
      .select("title")
      .where("communityId", "=", first.communityId)
      .execute();
    assert.deepEqual(
      topics.map((t) => t.title),
      ["The first question"],
    );
  });

  test("a second run keeps a moderator's move, merge and deletion, and still updates the text", async () => {
    const { api, deps } = env();
    const { communityId } = await importStackExchange(deps, { dir: FIXTURE_DUMP, slug: "se-moderated" });
    const [q1, q4, q6] = [
      await topicOf(env(), communityId, "1"),
      await topicOf(env(), communityId, "4"),
      await topicOf(env(), communityId, "6"),
    ];
    const moderator = await buildUser(env());
    await addMember(env(), communityId, moderator.id, "moderator");
    const category = await deps.db
      .insertInto("categories")
      .values({ communityId, slug: "home", name: "Home", description: "", position: 0 })
      .returning("id")
      .executeTakeFirstOrThrow();
    assert.equal(
      (await api.post(`/api/v1/topics/${q4}/move`, { categoryId: category.id }, moderator.auth)).status,
      200,
    );
    assert.equal((await api.post(`/api/v1/topics/${q1}/merge`, { intoTopicId: q4 }, moderator.auth)).status, 200);
    await deps.db.updateTable("topics").set({ moderationState: "deleted" }).where("id", "=", q6).execute();
    const merged = (await api.get(`/api/v1/topics/${q4}`)).body;

    const dir = copyOfDump();
    edit(
      dir,
      "Posts.xml",
      ["to factory settings?", "to factory settings, please?"],
      ["Hold the &lt;em&gt;reset", "Keep holding the &lt;em&gt;reset"],
      ["Why does my wifi drop", "Why does my Wi-Fi drop"],
      ["Router reset: restoring", "Router reset: bringing back"],
      [
        '  <row Id="6" ',
        '  <row Id="9" PostTypeId="2" ParentId="1" CreationDate="2021-02-12T07:00:00.000" Score="0" Body="Late answer" OwnerUserId="3" />\n  <row Id="6" ',
      ],
    );
    // A new comment on an answer of the merged question is new to a topic left alone too.
    const comments = path.join(dir, "Comments.xml.gz");
    const late = '  <row Id="15" PostId="2" Score="0" Text="A late comment on an answer" UserId="3" />\n</comments>';
    fs.writeFileSync(
      comments,
      zlib.gzipSync(zlib.gunzipSync(fs.readFileSync(comments)).toString("utf8").replace("</comments>", late)),
    );
    const again = await importStackExchange(deps, { dir, slug: "se-moderated" });
    assert.equal(again.counts["topics left as moderated (merged or deleted)"], 2);
    assert.equal(again.counts["skipped answers (question merged or deleted)"], 1);
    assert.equal(again.counts["skipped comments (question merged or deleted)"], 1);
    const lateComment = await deps.db
      .selectFrom("comments")
      .select("id")
      .where("body", "like", "A late comment%")
      .executeTakeFirst();
    assert.equal(lateComment, undefined);

    const source = await deps.db.selectFrom("topics").selectAll().where("id", "in", [q1, q6]).orderBy("id").execute();
    assert.deepEqual(
      source.map((t) => [t.moderationState, t.mergedIntoId, t.acceptedReplyId, t.title]),
      [
        ["merged", q4, null, "How do I reset my router to factory settings?"],
        ["deleted", null, null, "Router reset: restoring the factory defaults"],
      ],
    );
    const target = (await api.get(`/api/v1/topics/${q4}`)).body;
    assert.equal(target.topic.title, "Why does my Wi-Fi drop every evening?", "text changes still come through");
    assert.equal(target.topic.category.id, category.id);
    assert.equal(target.topic.replyCount, merged.topic.replyCount);
    const bodies = (page: { replies: { body: string; comments: unknown[] }[] }) =>
      page.replies.map((r) => [r.body.replace("Keep holding", "Hold"), r.comments.length]);
    assert.deepEqual(bodies(target), bodies(merged), "the answers and comments stay where the merge put them");
    assert.ok(target.replies.some((r: { body: string }) => r.body.startsWith("Keep holding the *reset*")));
    const onQuestion = await deps.db.selectFrom("comments").select("id").where("topicId", "=", q1).execute();
    assert.deepEqual(onQuestion, []);
  });

  test("an import forgets the community's insights rollups: the history it wrote is read live", async () => {
    const { deps } = env();
    const { communityId } = await importStackExchange(deps, { dir: FIXTURE_DUMP, slug: "se-rolled" });
    const rolledUp = async () =>
      (await deps.db.selectFrom("insightsDays").select("day").where("communityId", "=", communityId).execute()).length;
    // Days since the community was created are rolled up once settled.
    env().clock.advance(3 * 86_400_000);
    assert.ok((await rollUpCommunity(deps, communityId, { recheck: false })) > 0);
    assert.ok((await rolledUp()) > 0);
    await importStackExchange(deps, { dir: FIXTURE_DUMP, slug: "se-rolled" });
    assert.equal(await rolledUp(), 0);
  });

  test("a second run keeps the solution chosen here", async () => {
    const { deps } = env();
    const { communityId } = await importStackExchange(deps, { dir: FIXTURE_DUMP, slug: "se-solved-here" });
    const [dumpAnswer, otherAnswer] = [
      await topicOf(env(), communityId, "3", "reply"),
      await topicOf(env(), communityId, "2", "reply"),
    ];
    assert.equal((await topicRow(env(), communityId, "1")).acceptedReplyId, dumpAnswer);
    const q1 = await topicOf(env(), communityId, "1");
    await deps.db.updateTable("topics").set({ acceptedReplyId: otherAnswer }).where("id", "=", q1).execute();
    const again = await importStackExchange(deps, { dir: FIXTURE_DUMP, slug: "se-solved-here" });
    assert.equal((await topicRow(env(), communityId, "1")).acceptedReplyId, otherAnswer);
    assert.equal(again.counts["accepted answers"] ?? 0, 0, "none newly set");
  });

  test("a second run does not make a solution a moderator hid here the solution again", async () => {
    const { deps } = env();
    const { communityId } = await importStackExchange(deps, { dir: FIXTURE_DUMP, slug: "se-hidden-solution" });
    const solution = await topicOf(env(), communityId, "3", "reply");
    const admin = await buildUser(env());
    await addMember(env(), communityId, admin.id, "admin");
    const hidden = await env().api.post(`/api/v1/posts/reply/${solution}/hide`, { reason: "A spam link" }, admin.auth);
    assert.equal(hidden.status, 200);
    assert.deepEqual(
      await selectSolution(env(), communityId),
      { acceptedReplyId: null, hiddenSolutionId: solution },
      "hidden, it is no solution",
    );
    await importStackExchange(deps, { dir: FIXTURE_DUMP, slug: "se-hidden-solution" });
    assert.deepEqual(await selectSolution(env(), communityId), { acceptedReplyId: null, hiddenSolutionId: solution });
    // Restored, it is the solution again, as the dump says.
    assert.equal((await env().api.post(`/api/v1/posts/reply/${solution}/restore`, {}, admin.auth)).status, 200);
    assert.equal((await selectSolution(env(), communityId)).acceptedReplyId, solution);
  });

  test("text that showed character references or tildes shows them after the import", async () => {
    // The page showed "Write &amp; for &, &#169; for the sign, and &lt;b&gt; and ~~x~~ stay" (its HTML, XML-escaped).
    const page = "Write &amp;amp; for &amp;, &amp;#169; for the sign, and &amp;lt;b&amp;gt; and ~~x~~ stay";
    const shown = page.replace(/&/g, "&amp;");
    const dir = dumpOf({
      Posts: [
        `Id="1" PostTypeId="1" Title="Entities" CreationDate="2021-03-01T09:00:00.000" Body="&lt;p&gt;${shown}&lt;/p&gt;"`,
      ],
    });
    const { communityId } = await importStackExchange(env().deps, { dir, slug: "se-entities" });
    const topic = await topicRow(env(), communityId, "1");
    assert.equal(
      topic.bodyHtml.trim(),
      "<p>Write &amp;amp; for &amp;, &amp;#169; for the sign, and &amp;lt;b&amp;gt; and ~~x~~ stay</p>",
    );
  });

  test("a second run renames only the members nobody owns", async () => {
    const { api, deps } = env();
    const { communityId } = await importStackExchange(deps, { dir: FIXTURE_DUMP, slug: "se-owned" });
    const admin = await buildUser(env(), { platformAdmin: true });
    const claim = async (externalId: string, email: string) => {
      const id = await topicOf(env(), communityId, externalId, "user");
      const res = await api.post(`/api/v1/admin/imported-members/${id}/claim`, { email }, admin.auth);
      assert.equal(res.status, 200);
      const { token } = await createApiToken(deps, id, { name: "test", scope: "admin", expiresAt: null });
      return { id, auth: { token }, password: res.body.password as string };
    };
    const alice = await claim("1", "owned-alice@example.test");
    const bob = await claim("2", "owned-bob@example.test");
    const gone = await api.request("DELETE", "/api/v1/me", { password: alice.password }, alice.auth);
    assert.equal(gone.status, 204);
    assert.equal((await api.patch("/api/v1/me", { name: "Robert" }, bob.auth)).status, 200);
    // A single sign-on login after the claim clears the password again (an unconfirmed address):
    // Bob still owns the account.
    await claimWithProvenEmail(deps.db, bob.id, deps.clock.now());

    const dir = copyOfDump();
    edit(dir, "Users.xml", ["Carol Fixit", "Carol Fixes"]);
    await importStackExchange(deps, { dir, slug: "se-owned" });
    const name = async (externalId: string) =>
      (
        await deps.db
          .selectFrom("users")
          .select("name")
          .where("id", "=", await topicOf(env(), communityId, externalId, "user"))
          .executeTakeFirstOrThrow()
      ).name;
    assert.deepEqual([await name("1"), await name("2"), await name("3")], ["Deleted member", "Robert", "Carol Fixes"]);
  });
});
