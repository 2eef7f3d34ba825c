import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { transaction } from "../../src/core/transaction.ts";
import { applyTopicEdit } from "../../src/topics/topics.posting.ts";
import { findTopic } from "../../src/topics/topics.queries.ts";
import { mergeTopicInto } from "../../src/topics/topics.state.ts";

describeEachDatabase("edits and history API", (env) => {
  test("the author edits a topic: title, body (re-rendered) and tags change, the tag index follows", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const author = members.member[0];
    const topic = await buildTopic(env(), slug, author, { tags: ["wifi"] });
    env().clock.advance(60_000);
    const res = await env().api.patch(
      `/api/v1/topics/${topic.id}`,
      { title: "Router reboots every night", body: "Now *daily*.", tags: ["Router"] },
      author.auth,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.topic.title, "Router reboots every night");
    assert.equal(res.body.topic.body, "Now *daily*.");
    assert.match(res.body.topic.bodyHtml, /<em>daily<\/em>/);
    assert.deepEqual(res.body.topic.tags, ["router"]);
    assert.equal(res.body.topic.editedAt, new Date(env().clock.now()).toISOString());
    const byTag = async (tag: string) =>
      (await env().api.get(`/api/v1/communities/${slug}/topics?tag=${tag}`)).body.topics.map(
        (t: { id: number }) => t.id,
      );
    assert.deepEqual(await byTag("router"), [topic.id]);
    assert.deepEqual(await byTag("wifi"), []);
    const fetched = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.equal(fetched.body.topic.title, "Router reboots every night");
  });

  test("another member or staff cannot edit a topic (403, unchanged); a moderator and an admin can", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2, staff: 1, moderator: 1 } });
    const [author, other] = members.member;
    const topic = await buildTopic(env(), slug, author);
    for (const user of [other, members.staff[0]]) {
      const refused = await env().api.patch(`/api/v1/topics/${topic.id}`, { title: "Hijacked title here" }, user.auth);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, "forbidden");
    }
    assert.equal((await env().api.patch(`/api/v1/topics/${topic.id}`, { title: "Hijacked title here" })).status, 401);
    const unchanged = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.equal(unchanged.body.topic.title, topic.title);
    assert.equal(unchanged.body.topic.editedAt, null);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}/history`)).body.revisions.length, 1);
    const moderated = await env().api.patch(
      `/api/v1/topics/${topic.id}`,
      { title: "Moderated: clearer title" },
      members.moderator[0].auth,
    );
    assert.equal(moderated.status, 200);
    assert.equal(moderated.body.topic.title, "Moderated: clearer title");
    assert.equal(moderated.body.topic.author.id, author.id, "an edit keeps the author");
    const byAdmin = await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "Admin tidied the body." }, admin.auth);
    assert.equal(byAdmin.status, 200);
  });

  test("edits are validated like new posts; an empty edit is 422; unknown topics are 404", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const author = members.member[0];
    const topic = await buildTopic(env(), slug, author);
    for (const body of [
      {},
      { title: "short" },
      { body: "   " },
      { body: "x".repeat(50_001) },
      { tags: ["no spaces allowed"] },
    ]) {
      const res = await env().api.patch(`/api/v1/topics/${topic.id}`, body, author.auth);
      assert.equal(res.status, 422, JSON.stringify(body).slice(0, 60));
      assert.equal(res.body.error.code, "validation_failed");
    }
    assert.equal(
      (await env().api.patch("/api/v1/topics/987654", { title: "A valid new title" }, author.auth)).status,
      404,
    );
    assert.equal((await env().api.patch("/api/v1/replies/987654", { body: "text" }, author.auth)).status, 404);
  });

  test("topic history lists every version oldest first, the original kept, with editors", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const author = members.member[0];
    const moderator = members.moderator[0];
    const topic = await buildTopic(env(), slug, author, {
      title: "Original title here",
      body: "Original body",
      tags: ["one"],
    });
    const fresh = await env().api.get(`/api/v1/topics/${topic.id}/history`);
    assert.equal(fresh.status, 200);
    assert.deepEqual(
      fresh.body.revisions.map((r: any) => [r.version, r.title, r.body, r.tags, r.editor.id]),
      [[1, "Original title here", "Original body", ["one"], author.id]],
    );
    env().clock.advance(60_000);
    await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "Second body" }, author.auth);
    env().clock.advance(60_000);
    await env().api.patch(
      `/api/v1/topics/${topic.id}`,
      { title: "Third title, by a mod", tags: ["one", "two"] },
      moderator.auth,
    );
    const history = await env().api.get(`/api/v1/topics/${topic.id}/history`);
    assert.deepEqual(
      history.body.revisions.map((r: any) => [r.version, r.title, r.body, r.tags, r.editor.id]),
      [
        [1, "Original title here", "Original body", ["one"], author.id],
        [2, "Original title here", "Second body", ["one"], author.id],
        [3, "Third title, by a mod", "Second body", ["one", "two"], moderator.id],
      ],
    );
    const times = history.body.revisions.map((r: { createdAt: string }) => Date.parse(r.createdAt));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    assert.ok(times[0] < times[1] && times[1] < times[2]);
    const current = (await env().api.get(`/api/v1/topics/${topic.id}`)).body.topic;
    assert.equal(current.title, "Third title, by a mod");
    assert.equal(current.body, "Second body");
  });

  test("two edits at once: each keeps its own change, and the original is in the history once", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [author, helper] = members.member;
    const moderator = members.moderator[0];
    const topic = await buildTopic(env(), slug, author, {
      title: "Original title for the router",
      body: "Original body",
    });
    const edits = await Promise.all([
      env().api.patch(`/api/v1/topics/${topic.id}`, { title: "Author fixed the title here" }, author.auth),
      env().api.patch(`/api/v1/topics/${topic.id}`, { body: "Moderator fixed the body." }, moderator.auth),
    ]);
    assert.deepEqual(
      edits.map((r) => r.status),
      [200, 200],
    );
    const current = (await env().api.get(`/api/v1/topics/${topic.id}`)).body.topic;
    assert.deepEqual([current.title, current.body], ["Author fixed the title here", "Moderator fixed the body."]);
    const versions = (await env().api.get(`/api/v1/topics/${topic.id}/history`)).body.revisions;
    assert.equal(versions.length, 3);
    assert.deepEqual([versions[0].title, versions[0].body], ["Original title for the router", "Original body"]);
    assert.deepEqual([versions[2].title, versions[2].body], [current.title, current.body]);

    const reply = await buildReply(env(), topic.id, helper, "Original reply");
    await Promise.all(
      ["Edit A", "Edit B"].map((body, i) =>
        env().api.patch(`/api/v1/replies/${reply.id}`, { body }, i === 0 ? helper.auth : moderator.auth),
      ),
    );
    const replyVersions = (await env().api.get(`/api/v1/replies/${reply.id}/history`)).body.revisions.map(
      (r: { body: string }) => r.body,
    );
    assert.equal(replyVersions.length, 3);
    assert.equal(replyVersions[0], "Original reply");
    assert.deepEqual(replyVersions.slice(1).sort(), ["Edit A", "Edit B"]);
  });

  test("an edit that changes nothing makes no new version", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, helper] = members.member;
    const topic = await buildTopic(env(), slug, author, { tags: ["wifi"] });
    const same = await env().api.patch(
      `/api/v1/topics/${topic.id}`,
      { title: `  ${topic.title} `, body: topic.body, tags: ["WiFi"] },
      author.auth,
    );
    assert.equal(same.status, 200);
    assert.equal(same.body.topic.editedAt, null);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}/history`)).body.revisions.length, 1);
    await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "Changed once" }, author.auth);
    await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "Changed once" }, author.auth);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}/history`)).body.revisions.length, 2);

    const reply = await buildReply(env(), topic.id, helper, "A reply");
    assert.equal(
      (await env().api.patch(`/api/v1/replies/${reply.id}`, { body: "A reply" }, helper.auth)).body.reply.editedAt,
      null,
    );
    assert.equal((await env().api.get(`/api/v1/replies/${reply.id}/history`)).body.revisions.length, 1);
  });

  test("replies: the author edits, another member or staff gets 403, a moderator can; history keeps the original", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, staff: 1, moderator: 1 } });
    const [asker, author, other] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, author, "First answer");
    for (const user of [other, asker, members.staff[0]]) {
      const refused = await env().api.patch(`/api/v1/replies/${reply.id}`, { body: "Vandalised" }, user.auth);
      assert.equal(refused.status, 403);
    }
    env().clock.advance(1000);
    const edited = await env().api.patch(`/api/v1/replies/${reply.id}`, { body: "Better **answer**" }, author.auth);
    assert.equal(edited.status, 200);
    assert.equal(edited.body.reply.body, "Better **answer**");
    assert.match(edited.body.reply.bodyHtml, /<strong>answer<\/strong>/);
    assert.notEqual(edited.body.reply.editedAt, null);
    env().clock.advance(1000);
    const moderated = await env().api.patch(
      `/api/v1/replies/${reply.id}`,
      { body: "Moderated answer" },
      members.moderator[0].auth,
    );
    assert.equal(moderated.status, 200);
    const history = await env().api.get(`/api/v1/replies/${reply.id}/history`);
    assert.equal(history.status, 200);
    assert.deepEqual(
      history.body.revisions.map((r: any) => [r.version, r.body, r.editor.id]),
      [
        [1, "First answer", author.id],
        [2, "Better **answer**", author.id],
        [3, "Moderated answer", members.moderator[0].id],
      ],
    );
    assert.ok(history.body.revisions.every((r: object) => !("title" in r)));
    const page = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.equal(page.body.replies[0].body, "Moderated answer");
    assert.equal(page.body.replies[0].author.id, author.id);
  });
  test("an edit and a merge of the same topic at once: the edit is refused or goes along, never lost", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, other] = members.member;
    const source = await buildTopic(env(), slug, asker, { title: "Source question here" });
    const target = await buildTopic(env(), slug, other, { title: "Target question here" });
    // The edit read the topic before the merge committed, and saves after it.
    const readBeforeMerge = (await findTopic(env().deps.db, source.id))!;
    const merged = await env().api.post(`/api/v1/topics/${source.id}/merge`, { intoTopicId: target.id }, admin.auth);
    assert.equal(merged.status, 200);
    await assert.rejects(
      transaction(env().deps, (tx) =>
        applyTopicEdit(tx, readBeforeMerge, asker.id, { body: "Words the merge missed" }),
      ),
      (error: { code?: string }) => error.code === "conflict",
    );
    // The merge read the topic before an edit committed, and merges after it: the edited question goes along.
    const second = await buildTopic(env(), slug, asker, {
      title: "Second question here",
      body: "The question as first asked",
    });
    const stale = (await findTopic(env().deps.db, second.id))!;
    const edited = await env().api.patch(`/api/v1/topics/${second.id}`, { body: "The edited question" }, asker.auth);
    assert.equal(edited.status, 200);
    await transaction(env().deps, (tx) =>
      mergeTopicInto(tx, stale, { id: target.id, authorId: target.author.id, lastActivityAt: Date.now() }),
    );
    const page = await env().api.get(`/api/v1/topics/${target.id}`, other.auth);
    const bodies = page.body.replies.map((r: { body: string }) => r.body);
    assert.ok(bodies.includes("The edited question"), JSON.stringify(bodies));
    assert.ok(!bodies.includes(stale.body));
  });
});
