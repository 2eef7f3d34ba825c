import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";
import { postIndexed, roomyLimits } from "./support.ts";

describeEachDatabase(
  "knowledge base: the article form's refusals",
  (env) => {
    test("a promotion refused for its category says so next to the category, not as an unsolved topic", async () => {
      const { slug, admin, members, categories } = await buildCommunity(env(), {
        members: { member: 1 },
        categories: ["General", "Billing"],
      });
      const billing = categories[1];
      await env().deps.db.updateTable("categories").set({ scope: "private" }).where("id", "=", billing.id).execute();
      const asker = members.member[0];
      const solved = await postIndexed(env(), slug, asker, admin, {
        title: "Refund for a double charge",
        categoryId: billing.id,
        replies: ["We refunded the second charge."],
        accept: 0,
      });
      const staff = await browse(env(), admin);
      const url = `/c/${slug}/kb/new`;
      const refused = await staff.submit(url, {
        title: "",
        body: "",
        sourceTopicId: String(solved.id),
        categoryId: String(categories[0].id),
      });
      assert.equal(refused.status, 422);
      assert.ok(refused.body.includes("would show the topic to readers who may not see it"), refused.body);
      assert.ok(!refused.body.includes("Only a solved topic"), "not the message of an unsolved topic");

      const unsolved = await postIndexed(env(), slug, asker, admin, { title: "Router keeps restarting" });
      const notSolved = await staff.submit(url, { title: "", body: "", sourceTopicId: String(unsolved.id) });
      assert.equal(notSolved.status, 422);
      assert.ok(notSolved.body.includes("Only a solved topic of this community can be promoted."));

      const kept = await staff.submit(url, {
        title: "",
        body: "",
        sourceTopicId: String(solved.id),
        categoryId: String(billing.id),
      });
      assert.equal(kept.status, 303, "kept in its private category, the promotion goes through");
    });
  },
  roomyLimits,
);
