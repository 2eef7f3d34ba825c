import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { idIn, textIn } from "../../src/db/id-list.ts";
import { executeNamed } from "../../src/db/prepared.ts";
import type { Db } from "../../src/db/database.ts";

describeEachDatabase("id lists as one parameter", (env) => {
  const titlesOf = (db: Db, ids: number[]) =>
    db
      .selectFrom("topics")
      .select(["id", "title"])
      .where(idIn(db, "topics.id", ids))
      .orderBy("id");

  test("the rows of the listed ids, none for an empty list, duplicates once", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const asker = members.member[0];
    const [a, b, c] = [
      await buildTopic(env(), slug, asker, { title: "First listed topic" }),
      await buildTopic(env(), slug, asker, { title: "Second, not listed" }),
      await buildTopic(env(), slug, asker, { title: "Third listed topic" }),
    ];
    const { db } = env().deps;
    assert.deepEqual(await titlesOf(db, [c.id, a.id]).execute(), [
      { id: a.id, title: "First listed topic" },
      { id: c.id, title: "Third listed topic" },
    ]);
    assert.deepEqual(await titlesOf(db, []).execute(), []);
    assert.deepEqual(
      (await titlesOf(db, [b.id, b.id, -5]).execute()).map((r) => r.id),
      [b.id],
    );
  });

  test("the same SQL whatever the length, beyond the engines' parameter limits too", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    const { db } = env().deps;
    const many = [...Array.from({ length: 70_000 }, (_, i) => -1 - i), topic.id];
    assert.equal(titlesOf(db, [1]).compile().sql, titlesOf(db, many).compile().sql);
    // 70,001 values: more than SQLite's 32,766 and PostgreSQL's 65,535 parameters as an `in` list.
    assert.deepEqual(
      (await executeNamed(db, titlesOf(db, many))).map((r) => r.id),
      [topic.id],
    );
  });

  test("with a raw column, inside raw SQL", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0], { title: "Found by raw SQL" });
    const { db } = env().deps;
    const { rows } = await sql<{ title: string }>`select t.title from topics t
      where ${idIn(db, sql.raw("t.id"), [topic.id, -1])}`.execute(db);
    assert.deepEqual(rows, [{ title: "Found by raw SQL" }]);
  });

  test("texts as one parameter: quotes, commas, braces, backslashes and NULL stay text", async () => {
    const { db } = env().deps;
    const keys = ['text-in: say "hello", {world}', "text-in: back\\slash", "NULL", "text-in: ünïcode ✓"];
    await db
      .insertInto("settings")
      .values([...keys, "text-in: not listed"].map((key) => ({ key, value: "1" })))
      .execute();
    const keyed = (wanted: string[]) =>
      db
        .selectFrom("settings")
        .select("key")
        .where(textIn(db, "key", wanted))
        .orderBy("key");
    assert.deepEqual(
      (await executeNamed(db, keyed([...keys, "text-in: no such key"]))).map((r) => r.key),
      (await db.selectFrom("settings").select("key").where("key", "in", keys).orderBy("key").execute()).map(
        (r) => r.key,
      ),
    );
    assert.equal((await executeNamed(db, keyed(keys))).length, keys.length);
    assert.deepEqual(await executeNamed(db, keyed([])), []);
    assert.equal(keyed(["one"]).compile().sql, keyed(keys).compile().sql);
  });
});
