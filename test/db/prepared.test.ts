import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { buildCommunity, buildReply, buildTopic, createTestEnv, DATABASES, describeEachDatabase } from "../helpers.ts";
import { prepared, preparedFirst } from "../../src/db/prepared.ts";
import type { Db } from "../../src/db/database.ts";
import type { ModerationState } from "../../src/db/schema.ts";

describeEachDatabase("prepared queries", (env) => {
  let builds = 0;
  /** Replies of a topic by state, the state named twice: a value used in two places. */
  const replies = (db: Db, v: { topicId: number; state: ModerationState }) => {
    builds++;
    return db
      .selectFrom("replies")
      .select(["id", "body"])
      .where("topicId", "=", v.topicId)
      .where((eb) => eb.or([eb("moderationState", "=", v.state), eb("moderationState", "=", v.state)]))
      .where("score", ">=", -1000) // a constant, written in: stays as it is
      .orderBy("id");
  };
  const repliesOf = prepared(replies);

  test("runs with each call's values, compiled once per database, the same rows as built anew", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const first = await buildTopic(env(), slug, asker);
    const second = await buildTopic(env(), slug, asker);
    const a = await buildReply(env(), first.id, helper, "First topic's reply");
    const b = await buildReply(env(), second.id, helper, "Second topic's reply");
    const b2 = await buildReply(env(), second.id, asker, "Second topic's other reply");
    const { db } = env().deps;

    builds = 0;
    assert.deepEqual(await repliesOf(db, { topicId: first.id, state: "visible" }), [
      { id: a.id, body: "First topic's reply" },
    ]);
    assert.deepEqual(
      (await repliesOf(db, { topicId: second.id, state: "visible" })).map((r) => r.id),
      [b.id, b2.id],
    );
    assert.deepEqual(await repliesOf(db, { topicId: second.id, state: "hidden" }), []);
    assert.equal(builds, 1, "built and compiled on first use only");
    for (const topicId of [first.id, second.id])
      assert.deepEqual(
        await repliesOf(db, { topicId, state: "visible" }),
        await replies(db, { topicId, state: "visible" }).execute(),
      );
  });

  test("the first row, or undefined; inside a transaction too", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0], { title: "A title to find again" });
    const titleOf = preparedFirst((db, v: { id: number }) =>
      db.selectFrom("topics").select("title").where("id", "=", v.id),
    );
    const { db } = env().deps;
    assert.deepEqual(await titleOf(db, { id: topic.id }), { title: "A title to find again" });
    assert.equal(await titleOf(db, { id: -1 }), undefined);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable("topics").set({ title: "Renamed in a transaction" }).where("id", "=", topic.id).execute();
      assert.deepEqual(await titleOf(trx, { id: topic.id }), { title: "Renamed in a transaction" });
    });
  });

  test("a value that the query does not carry as a parameter is refused on first use", async () => {
    const shifted = prepared((db, v: { id: number }) =>
      db
        .selectFrom("topics")
        .select("id")
        .where("id", "=", Number(v.id) + 1),
    );
    await assert.rejects(shifted(env().deps.db, { id: 1 }), /"id" was not used as a value/);
  });
});

test("each database compiles its own copy (SQLite and PostgreSQL write parameters differently)", async () => {
  const envs = await Promise.all(DATABASES.map((database) => createTestEnv(database)));
  try {
    let builds = 0;
    const countUsers = preparedFirst((db, v: { min: number }) => {
      builds++;
      return db
        .selectFrom("users")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("id", ">=", v.min);
    });
    const second = await createTestEnv(DATABASES[0]);
    envs.push(second);
    for (const { deps } of envs) assert.ok(Number((await countUsers(deps.db, { min: 0 }))?.n) >= 0);
    assert.equal(builds, envs.length);
  } finally {
    await Promise.all(envs.map((e) => e.close()));
  }
});

const postgres = DATABASES.find((database) => database.name === "postgres");

test("on PostgreSQL a prepared query goes as a named statement, parsed once per connection", {
  skip: postgres ? false : "needs PostgreSQL (TEST_DATABASE_URL)",
}, async () => {
  const env = await createTestEnv(postgres!);
  try {
    const { slug, members } = await buildCommunity(env, { members: { member: 1 } });
    const topic = await buildTopic(env, slug, members.member[0], { title: "Asked once, read twice" });
    // A query text no other test prepares: a connection may hold theirs already.
    const titleOf = preparedFirst((db, v: { id: number }) =>
      db.selectFrom("topics").select("title").where("id", "=", v.id).where("kind", "is not", null),
    );
    // One connection for every statement: a transaction holds it.
    await env.deps.db.transaction().execute(async (trx) => {
      const named = async () =>
        (
          await sql<{ statement: string }>`select statement from pg_prepared_statements
              where name like 'cs_prepared_%'`.execute(trx)
        ).rows.map((r) => r.statement);
      const before = await named();
      assert.deepEqual(await titleOf(trx, { id: topic.id }), { title: "Asked once, read twice" });
      assert.equal(await titleOf(trx, { id: -1 }), undefined, "the same statement with other values");
      const added = (await named()).filter((statement) => !before.includes(statement));
      assert.equal(added.length, 1, "prepared on first use, reused after");
      assert.match(added[0], /where "id" = \$1 and "kind" is not null/);
    });
  } finally {
    await env.close();
  }
});

test("on PostgreSQL a named statement outdated by a schema change is sent unnamed again", {
  skip: postgres ? false : "needs PostgreSQL (TEST_DATABASE_URL)",
}, async () => {
  const env = await createTestEnv(postgres!);
  try {
    const { slug, members } = await buildCommunity(env, { members: { member: 1 } });
    const topic = await buildTopic(env, slug, members.member[0], { title: "Read before and after" });
    const everyColumn = preparedFirst((db, v: { id: number }) =>
      db.selectFrom("topics").selectAll().where("id", "=", v.id).where("title", "is not", null),
    );
    // One connection, outside a transaction (an error would end it): what a running instance does.
    await env.deps.db.connection().execute(async (conn) => {
      assert.equal((await everyColumn(conn, { id: topic.id }))?.title, "Read before and after");
      // Another instance's migration adds a column: the kept statement's result no longer fits.
      await sql`alter table topics add column added_by_another_instance integer default 7`.execute(conn);
      const after = (await everyColumn(conn, { id: topic.id })) as Record<string, unknown> | undefined;
      assert.equal(after?.title, "Read before and after");
      assert.equal(after?.addedByAnotherInstance, 7, "the new column is read");
      assert.equal((await everyColumn(conn, { id: topic.id }))?.title, "Read before and after", "and again");
    });
  } finally {
    await env.close();
  }
});
