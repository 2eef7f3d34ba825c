import { test } from "node:test";
import assert from "node:assert/strict";
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
