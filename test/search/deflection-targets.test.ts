import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { postIndexed, roomyLimits } from "./support.ts";

describeEachDatabase(
  "deflection events: what an open names",
  (env) => {
    test("an open naming an article the list did not hold is refused, even beside a listed topic", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const unsolved = await postIndexed(env(), slug, asker, helper, { title: "Router blinks red after the update" });
      await postIndexed(env(), slug, asker, helper, { title: "Invoice copy for March" });
      const written = await env().api.post(
        `/api/v1/communities/${slug}/articles`,
        { title: "Changing the billing address", body: "Open your account settings." },
        admin.auth,
      );
      assert.equal(written.status, 201, JSON.stringify(written.body));
      const articleId = written.body.article.id as number;

      const found = await env().api.get(`/api/v1/communities/${slug}/search?q=router+blinks`);
      assert.deepEqual(
        found.body.results.map((r: { topic: { id: number } | null }) => r.topic?.id),
        [unsolved.id],
      );
      const token = found.body.deflectionToken as string;
      const post = (body: Record<string, unknown>) =>
        env().api.post(`/api/v1/communities/${slug}/deflection-events`, {
          type: "result_opened",
          visitId: "visit-forged001",
          token,
          ...body,
        });

      // The unsolved topic was listed, the article was not: naming both would count a solved open.
      const forged = await post({ topicId: unsolved.id, articleId });
      assert.equal(forged.status, 422, JSON.stringify(forged.body));
      assert.deepEqual(Object.keys(forged.body.error.fields), ["token"]);
      const stored = await env()
        .deps.db.selectFrom("deflectionEvents")
        .select(["topicId", "articleId", "solved"])
        .where("visitId", "=", "visit-forged001")
        .execute();
      assert.deepEqual(stored, [], "nothing recorded");
      assert.equal((await post({})).status, 422, "an open names what was opened");
      assert.equal((await post({ topicId: unsolved.id })).status, 201, "the listed topic alone is fine");
    });
  },
  roomyLimits,
);
