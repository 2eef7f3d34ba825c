import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";
import { promotedArticle, roomyLimits } from "./support.ts";

describeEachDatabase(
  "knowledge base: the link to an article's source topic",
  (env) => {
    test("an article whose topic was hidden stays, without a link that would not be found", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
      const [asker, helper] = members.member;
      const { solved, articleId } = await promotedArticle(env(), slug, admin, asker, helper);
      const url = `/c/${slug}/kb/${articleId}`;
      const link = `href="/c/${slug}/t/${solved.id}"`;
      assert.ok((await getPage(env(), url)).body.includes(link), "linked while the topic is readable");

      const hid = await env().api.post(
        `/api/v1/posts/topic/${solved.id}/hide`,
        { reason: "Spam" },
        members.moderator[0].auth,
      );
      assert.equal(hid.status, 200, JSON.stringify(hid.body));
      assert.equal((await getPage(env(), `/c/${slug}/t/${solved.id}`)).status, 404, "the topic is not found");
      for (const reader of [null, helper]) {
        const page = await getPage(env(), url, reader);
        assert.equal(page.status, 200, "hiding the topic does not take the article down");
        assert.ok(!page.body.includes(link), "no link to a topic the reader cannot open");
      }
      const moderator = await getPage(env(), url, members.moderator[0]);
      assert.ok(moderator.body.includes(link), "reviewers still open the hidden topic");

      // The API says what the page says: the article, without its hidden source, in one and in the list.
      const source = (article: { sourceTopicId: number | null; sourceTopicUrl: string | null }) => [
        article.sourceTopicId,
        article.sourceTopicUrl,
      ];
      for (const reader of [null, helper]) {
        const one = await env().api.get(`/api/v1/articles/${articleId}`, reader?.auth);
        assert.deepEqual(source(one.body.article), [null, null]);
        const list = await env().api.get(`/api/v1/communities/${slug}/articles`, reader?.auth);
        const listed = list.body.articles.find((a: { id: number }) => a.id === articleId);
        assert.deepEqual(source(listed), [null, null]);
      }
      const reviewed = await env().api.get(`/api/v1/articles/${articleId}`, members.moderator[0].auth);
      assert.deepEqual(source(reviewed.body.article), [solved.id, `/c/${slug}/t/${solved.id}`]);
    });
  },
  roomyLimits,
);
