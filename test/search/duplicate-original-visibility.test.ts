import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { postFillers, postIndexed, roomyLimits } from "./support.ts";

describeEachDatabase(
  "duplicates: the original's visibility",
  (env) => {
    test("a topic is not marked a duplicate of an original some of its readers may not read (422 of)", async () => {
      const { slug, admin, members, categories } = await buildCommunity(env(), {
        members: { member: 3, moderator: 1 },
        categories: ["General", "Lounge", "Billing"],
      });
      const [general, lounge, billing] = categories;
      const db = env().deps.db;
      await db.updateTable("categories").set({ championsOnly: 1 }).where("id", "=", lounge.id).execute();
      await db.updateTable("categories").set({ scope: "private" }).where("id", "=", billing.id).execute();
      const [asker, helper, reader] = members.member;
      const moderator = members.moderator[0];
      await postFillers(env(), slug, asker, helper);
      const open = await postIndexed(env(), slug, asker, helper, {
        title: "Voicemail greeting keeps resetting",
        categoryId: general.id,
      });
      const championsOnly = await postIndexed(env(), slug, moderator, helper, {
        title: "Voicemail greeting resets itself",
        categoryId: lounge.id,
      });
      const privateScope = await postIndexed(env(), slug, helper, helper, {
        title: "Voicemail greeting resets after the bill",
        categoryId: billing.id,
      });
      const suggested = async () =>
        (
          await env().api.get(
            `/api/v1/communities/${slug}/similar?title=${encodeURIComponent("voicemail greeting resetting")}`,
            reader.auth,
          )
        ).body.map((item: { topic: { id: number } | null }) => item.topic?.id);
      assert.ok((await suggested()).includes(open.id));

      for (const [marker, original] of [
        [moderator, championsOnly],
        [admin, privateScope],
      ] as const) {
        const res = await env().api.post(`/api/v1/topics/${open.id}/duplicate`, { of: original.id }, marker.auth);
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.ok(res.body.error.fields.of, JSON.stringify(res.body));
      }
      const marks = await db.selectFrom("topicDuplicates").selectAll().where("topicId", "=", open.id).execute();
      assert.deepEqual(marks, []);
      assert.ok((await suggested()).includes(open.id), "the topic still comes up for the readers of its category");

      // The other way round is fine: the champions-only topic's readers may all read the public original.
      const reverse = await env().api.post(
        `/api/v1/topics/${championsOnly.id}/duplicate`,
        { of: open.id },
        moderator.auth,
      );
      assert.equal(reverse.status, 200, JSON.stringify(reverse.body));
      assert.equal(reverse.body.duplicateOf.id, open.id);
    });
  },
  roomyLimits,
);
