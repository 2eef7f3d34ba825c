import { test } from "node:test";
import assert from "node:assert/strict";
import { sql, type Kysely } from "kysely";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import type { Database } from "../../src/db/schema.ts";
import { csrfTokenFor } from "../web/web-helpers.ts";

describeEachDatabase("races and header details", (env) => {
  test("two admins creating the same community at once: one 201, one 409, never a 500", async () => {
    const admin = await buildUser(env(), { platformAdmin: true });
    const body = { slug: `race-${admin.id}`, name: "Race Community", visibility: "public" };
    const statuses = (await Promise.all([1, 2, 3].map(() => env().api.post("/api/v1/communities", body, admin.auth))))
      .map((r) => r.status)
      .sort();
    assert.deepEqual(statuses, [201, 409, 409]);
  });

  test("concurrent creation of the same category: one 201, the rest 409", async () => {
    const { slug, admin } = await buildCommunity(env());
    const statuses = (
      await Promise.all(
        [1, 2, 3].map(() =>
          env().api.post(`/api/v1/communities/${slug}/categories`, { name: "Racing Category" }, admin.auth),
        ),
      )
    )
      .map((r) => r.status)
      .sort();
    assert.deepEqual(statuses, [201, 409, 409]);
  });

  test("the Bearer scheme is case-insensitive", async () => {
    const user = await buildUser(env());
    const res = await env().app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `bearer ${user.auth.token}` },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(JSON.parse(res.body).user.id, user.id);
  });

  test("a NUL character in a form field is refused like in the API", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const { cookie } = members.member[0];
    const res = await env().app.inject({
      method: "POST",
      url: `/c/${slug}/new`,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: await csrfTokenFor(env(), cookie),
        kind: "question",
        title: "Title with a \0 inside",
        body: "text",
      }).toString(),
    });
    assert.equal(res.statusCode, 422);
    const api = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { kind: "question", title: "Title with a \0 inside", body: "x" },
      members.member[0].auth,
    );
    assert.equal(api.status, 422);
    assert.ok(api.body.error.fields.title);
  });
  /**
   * PostgreSQL only: holds a topic's (or reply's) row lock, as a moderator's action does, while
   * `request` starts and waits for it, then makes `change` and commits: the request goes on with what
   * it read before.
   */
  async function whileRowLocked<T>(
    table: "topics" | "replies",
    rowId: number,
    request: () => Promise<T>,
    change: (db: Kysely<Database>) => Promise<unknown>,
  ): Promise<T> {
    let started!: Promise<T>;
    await env()
      .deps.db.transaction()
      .execute(async (trx) => {
        await sql`select id from ${sql.table(table)} where id = ${rowId} for update`.execute(trx);
        started = request();
        await new Promise((resolve) => setTimeout(resolve, 400));
        await change(trx);
      });
    return started;
  }

  test("a reply sent while a moderator locks the topic is refused, not added to the locked topic", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const res = await whileRowLocked(
      "topics",
      topic.id,
      () => env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "A late answer" }, helper.auth),
      (db) => db.updateTable("topics").set({ locked: 1 }).where("id", "=", topic.id).execute(),
    );
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "forbidden");
    const replies = await env().deps.db.selectFrom("replies").select("id").where("topicId", "=", topic.id).execute();
    assert.deepEqual(replies, []);
  });

  test("a comment sent while a moderator deletes its reply is refused (404)", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    const res = await whileRowLocked(
      "topics",
      topic.id,
      () => env().api.post(`/api/v1/replies/${reply.id}/comments`, { body: "A late comment" }, asker.auth),
      (db) => db.updateTable("replies").set({ moderationState: "deleted" }).where("id", "=", reply.id).execute(),
    );
    assert.equal(res.status, 404);
    const comments = await env().deps.db.selectFrom("comments").select("id").where("replyId", "=", reply.id).execute();
    assert.deepEqual(comments, []);
  });
  test("a vote sent while a moderator deletes the reply is refused (404) and earns nothing", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, voter] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    const res = await whileRowLocked(
      "replies",
      reply.id,
      () => env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, voter.auth),
      (db) => db.updateTable("replies").set({ moderationState: "deleted" }).where("id", "=", reply.id).execute(),
    );
    assert.equal(res.status, 404);
    const votes = await env().deps.db.selectFrom("votes").select("userId").where("targetId", "=", reply.id).execute();
    assert.deepEqual(votes, []);
  });
  test("following a topic while it is merged is refused (409), not left on the merged topic", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, fan] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const res = await whileRowLocked(
      "topics",
      topic.id,
      () => env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, fan.auth),
      (db) => db.updateTable("topics").set({ moderationState: "merged" }).where("id", "=", topic.id).execute(),
    );
    assert.equal(res.status, 409);
    const follows = await env()
      .deps.db.selectFrom("follows")
      .select("userId")
      .where("topicId", "=", topic.id)
      .execute();
    assert.deepEqual(follows, []);
  });
});
