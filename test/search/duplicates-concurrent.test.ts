import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { postIndexed, roomyLimits } from "./support.ts";

describeEachDatabase(
  "duplicates: concurrent marks",
  (env) => {
    test("two topics marked as duplicates of each other at once: one mark wins, no loop, no 500", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 2 } });
      const [asker, helper] = members.member;
      const [first, second] = members.moderator;
      for (let i = 0; i < 5; i++) {
        const a = await postIndexed(env(), slug, asker, helper, { title: `Router keeps restarting ${i}` });
        const b = await postIndexed(env(), slug, asker, helper, { title: `Modem reboots every hour ${i}` });
        const [ab, ba] = await Promise.all([
          env().api.post(`/api/v1/topics/${a.id}/duplicate`, { of: b.id }, first.auth),
          env().api.post(`/api/v1/topics/${b.id}/duplicate`, { of: a.id }, second.auth),
        ]);
        assert.deepEqual(
          [ab.status, ba.status].sort(),
          [200, 422],
          `round ${i}: ${JSON.stringify([ab.body, ba.body])}`,
        );
        const marks = await env()
          .deps.db.selectFrom("topicDuplicates")
          .select(["topicId", "originalId"])
          .where("topicId", "in", [a.id, b.id])
          .execute();
        assert.equal(marks.length, 1, `round ${i}: ${JSON.stringify(marks)}`);
        const winner = ab.status === 200 ? { topicId: a.id, originalId: b.id } : { topicId: b.id, originalId: a.id };
        assert.deepEqual({ ...marks[0] }, winner);
      }
    });
  },
  roomyLimits,
);
