import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { prepared } from "../../src/db/prepared.ts";

describeEachDatabase("a select's LIMIT", (env) => {
  test("on SQLite a whole number is written into the SQL; each limit returns its rows on both engines", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [author] = members.member;
    const topic = await buildTopic(env(), slug, author);
    for (const text of ["One reply here", "Two replies here", "Three replies here"])
      await buildReply(env(), topic.id, author, text);
    const { db, dialect } = env().deps;
    const newest = (limit: number) =>
      db.selectFrom("replies").select("body").where("topicId", "=", topic.id).orderBy("id", "desc").limit(limit);

    const compiled = newest(2).compile();
    if (dialect === "sqlite") {
      assert.match(compiled.sql, / limit 2$/);
      assert.deepEqual(compiled.parameters, [topic.id], "the topic stays a parameter, the limit does not");
    } else {
      assert.match(compiled.sql, / limit \$2$/);
      assert.deepEqual(compiled.parameters, [topic.id, 2]);
    }
    assert.deepEqual(
      (await newest(2).execute()).map((r) => r.body),
      ["Three replies here", "Two replies here"],
    );
    assert.deepEqual(
      (await newest(1).execute()).map((r) => r.body),
      ["Three replies here"],
    );
    assert.equal((await newest(0).execute()).length, 0);
  });

  test("what is not a whole number stays a parameter: a prepared query's stand-in, a fraction", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [author] = members.member;
    const topic = await buildTopic(env(), slug, author);
    for (const text of ["First reply here", "Second reply here"]) await buildReply(env(), topic.id, author, text);
    const { db } = env().deps;

    const firstReplies = prepared((db, v: { topicId: number; limit: number }) =>
      db.selectFrom("replies").select("body").where("topicId", "=", v.topicId).orderBy("id").limit(v.limit),
    );
    assert.deepEqual(await firstReplies(db, { topicId: topic.id, limit: 1 }), [{ body: "First reply here" }]);
    assert.equal((await firstReplies(db, { topicId: topic.id, limit: 5 })).length, 2);

    const fraction = db.selectFrom("replies").select("body").limit(1.5).compile();
    assert.doesNotMatch(fraction.sql, /limit 1\.5/);
    assert.deepEqual(fraction.parameters, [1.5]);
  });
});
