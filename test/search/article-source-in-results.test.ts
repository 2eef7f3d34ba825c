import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { promotedArticle, roomyLimits, searchUrl } from "./support.ts";

describeEachDatabase(
  "search and similar questions: an article's source topic",
  (env) => {
    test("is named only to readers who may open it, as GET /articles/:id names it", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
      const [asker, helper] = members.member;
      const moderator = members.moderator[0];
      const { solved, articleId } = await promotedArticle(env(), slug, admin, asker, helper);
      /** The source topic id each list gives with the article, for this reader. */
      const sources = async (reader: { auth: { token: string } } | null) => {
        const found = await env().api.get(searchUrl(slug, { q: "voicemail abroad" }), reader?.auth);
        const similar = await env().api.get(
          `/api/v1/communities/${slug}/similar?title=${encodeURIComponent("Voicemail not working abroad")}`,
          reader?.auth,
        );
        assert.equal(found.status, 200);
        assert.equal(similar.status, 200);
        const of = (items: { type: string; article: { id: number; sourceTopicId: number | null } | null }[]) =>
          items.find((item) => item.type === "article" && item.article?.id === articleId)?.article?.sourceTopicId;
        return [of(found.body.results), of(similar.body)];
      };
      assert.deepEqual(await sources(null), [solved.id, solved.id], "linked while the topic is readable");

      const hid = await env().api.post(`/api/v1/posts/topic/${solved.id}/hide`, { reason: "Spam" }, moderator.auth);
      assert.equal(hid.status, 200, JSON.stringify(hid.body));
      for (const reader of [null, helper])
        assert.deepEqual(await sources(reader), [null, null], "the hidden topic's id is not given");
      assert.equal((await env().api.get(`/api/v1/articles/${articleId}`)).body.article.sourceTopicId, null);
      assert.deepEqual(await sources(moderator), [solved.id, solved.id], "reviewers still open the hidden topic");
    });
  },
  roomyLimits,
);
