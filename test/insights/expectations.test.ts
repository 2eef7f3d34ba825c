import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { roomyLimits } from "../routing/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { measureExpectations } from "../../src/insights/insights.jobs.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

describeEachDatabase(
  "measured expectations",
  (env) => {
    test("the new-topic form says how fast a category was answered over the last 30 days", async () => {
      const { slug, categories, members } = await buildCommunity(env(), {
        categories: ["Internet", "TV"],
        members: { member: 2 },
      });
      const [internet, tv] = categories;
      const [asker, helper] = members.member;
      let n = 0;
      const answeredAfter = async (categoryId: number, minutes: number, by = helper) => {
        const topic = await buildTopic(env(), slug, asker, {
          title: `Question number ${++n} about the line`,
          categoryId,
        });
        env().clock.advance(minutes * MINUTE);
        await buildReply(env(), topic.id, by, `Answer number ${n}.`);
        env().clock.advance(DAY / 24);
      };
      const start = Date.UTC(2026, 2, 1, 8);
      env().clock.set(start);
      await answeredAfter(internet.id, 1); // more than 30 days before the measurement: left out
      env().clock.set(start + 5 * DAY);
      for (const minutes of [10, 20, 30, 40, 200]) await answeredAfter(internet.id, minutes);
      await answeredAfter(internet.id, 2, asker); // only the asker replied: no answer
      await answeredAfter(tv.id, 5);
      await answeredAfter(tv.id, 5);
      env().clock.set(start + 33 * DAY);
      await measureExpectations(env().deps);

      const rows = await env()
        .deps.db.selectFrom("categories")
        .select(["id", "measuredResponseMinutes"])
        .where("id", "in", [internet.id, tv.id])
        .orderBy("position")
        .execute();
      assert.deepEqual(
        rows.map((r) => r.measuredResponseMinutes),
        [30, null],
        "median of 10, 20, 30, 40, 200; two answers are too few",
      );
      const visitor = await buildUser(env()); // the others' sessions expired meanwhile
      const form = await getPage(env(), `/c/${slug}/new`, visitor);
      assert.equal(form.status, 200);
      assert.match(form.body, /<strong>Internet<\/strong>: Measured: usually answered within 30 minutes/);
      assert.doesNotMatch(form.body, /<strong>TV<\/strong>: Measured/);
    });

    test("answers merged in with older duplicates count as at once, never as a negative wait", async () => {
      const { slug, categories, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const start = Date.UTC(2026, 5, 1, 8);
      env().clock.set(start);
      for (let n = 1; n <= 5; n++) {
        const topic = await buildTopic(env(), slug, asker, {
          title: `Merged question number ${n} about the line`,
          categoryId: categories[0].id,
        });
        // The reply a merge brings over keeps its own time: here an hour before the question.
        await env()
          .deps.db.insertInto("replies")
          .values({
            topicId: topic.id,
            authorId: helper.id,
            body: "Answered on the duplicate.",
            bodyHtml: "<p>Answered on the duplicate.</p>",
            official: 0,
            score: 0,
            createdAt: start - 60 * MINUTE,
            editedAt: null,
          })
          .execute();
      }
      env().clock.set(start + DAY);
      await measureExpectations(env().deps);
      const row = await env()
        .deps.db.selectFrom("categories")
        .select("measuredResponseMinutes")
        .where("id", "=", categories[0].id)
        .executeTakeFirstOrThrow();
      assert.equal(row.measuredResponseMinutes, 0);
    });
  },
  roomyLimits,
);
