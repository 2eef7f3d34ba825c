import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

// The add-a-poll form's closing time is a datetime-local field, read as UTC (the form says so).
// Browsers send "2030-01-01T10:00", or with seconds when the value or the field's step has them.
describeEachDatabase("the poll form's closing time", (env) => {
  test("with or without seconds, it is read as that UTC time", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [author] = members.member;
    const browser = await browse(env(), author);
    for (const [sent, stored] of [
      ["2030-01-01T10:00", "2030-01-01T10:00:00.000Z"],
      ["2030-01-01T10:00:30", "2030-01-01T10:00:30.000Z"],
      ["2030-01-01T10:00:30.250", "2030-01-01T10:00:30.250Z"],
    ]) {
      const topic = await buildTopic(env(), slug, author, { title: `Which router suits a flat? ${sent}` });
      const res = await browser.submit(`/c/${slug}/t/${topic.id}/poll`, { options: "Router\nMesh", closesAt: sent });
      assert.equal(res.status, 303, `${sent}: ${res.body.slice(0, 300)}`);
      const poll = await env()
        .deps.db.selectFrom("polls")
        .select("closesAt")
        .where("topicId", "=", topic.id)
        .executeTakeFirstOrThrow();
      assert.equal(new Date(Number(poll.closesAt)).toISOString(), stored, sent);
    }
  });
});
