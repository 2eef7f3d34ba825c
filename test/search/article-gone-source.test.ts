import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { postIndexed, roomyLimits } from "./support.ts";

/**
 * An article promoted from a topic carries the topic's question and answer, so it may not be moved
 * to a category more open than the topic's, whatever became of the topic since: deleted, hidden
 * or visible, the refusal is the same (the topic's moderation state does not count,
 * articles.visibility.ts).
 */
describeEachDatabase(
  "an article's category check holds when its source topic is gone",
  (env) => {
    test("an article promoted from a private topic stays as closed once the topic is deleted or hidden", async () => {
      const { slug, admin, members, categories } = await buildCommunity(env(), {
        categories: ["General", "Billing"],
        members: { member: 1, staff: 1 },
      });
      const [asker] = members.member;
      const [helper] = members.staff;
      const [general, billing] = categories.map((c) => c.id);
      const scoped = await env().api.patch(
        `/api/v1/communities/${slug}/categories/${billing}`,
        { scope: "private" },
        admin.auth,
      );
      assert.equal(scoped.status, 200);
      const patch = (id: number, body: Record<string, unknown>) =>
        env().api.patch(`/api/v1/articles/${id}`, body, admin.auth);

      for (const state of ["deleted", "hidden", "visible"] as const) {
        const solved = await postIndexed(env(), slug, asker, helper, {
          title: `Wrong IBAN on my invoice (${state})`,
          body: "My account number is DE44 5001 0517 5407 3249 31",
          categoryId: billing,
          replies: ["Corrected on our side."],
          accept: 0,
        });
        const promoted = await env().api.post(
          `/api/v1/communities/${slug}/articles`,
          { sourceTopicId: solved.id },
          admin.auth,
        );
        assert.equal(promoted.status, 201, JSON.stringify(promoted.body));
        const id = promoted.body.article.id as number;
        await env().deps.db.updateTable("topics").set({ moderationState: state }).where("id", "=", solved.id).execute();

        for (const categoryId of [general, null]) {
          const moved = await patch(id, { categoryId });
          assert.equal(moved.status, 422, `${state} source, to ${categoryId}`);
          assert.match(moved.body.error.fields.categoryId, /readers who may not see it/);
        }
        const article = await env()
          .deps.db.selectFrom("articles")
          .select("categoryId")
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        assert.equal(article.categoryId, billing, `${state} source: the article did not move`);
        // Within the topic's own category the article is edited as before.
        const edited = await patch(id, { title: `Fixing a wrong IBAN (${state})`, categoryId: billing });
        assert.equal(edited.status, 200, `${state} source: ${JSON.stringify(edited.body)}`);
        assert.equal(edited.body.article.title, `Fixing a wrong IBAN (${state})`);
      }
    });
  },
  roomyLimits,
);
