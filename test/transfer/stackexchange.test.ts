import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { importStackExchange } from "../../src/transfer/index.ts";
import { type TestEnv, buildUser, describeEachDatabase } from "../helpers.ts";
import { FIXTURE_DUMP, communitySnapshot } from "./support.ts";

const SITE = "demo.stackexchange.com";

/** The local topic id of a Stack Exchange question id. */
async function topicOf(env: TestEnv, communityId: number, questionId: string): Promise<number> {
  const row = await env.deps.db
    .selectFrom("externalIds")
    .select("localId")
    .where("communityId", "=", communityId)
    .where("kind", "=", "topic")
    .where("externalId", "=", questionId)
    .executeTakeFirstOrThrow();
  return row.localId;
}

/** A copy of the fixture dump that a test may change. */
function copyOfDump(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cs-se-")), SITE);
  fs.cpSync(FIXTURE_DUMP, dir, { recursive: true });
  return dir;
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
});
