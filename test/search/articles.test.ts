import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { browse, getPage } from "../web/web-helpers.ts";
import { articleUrls, feedArticles } from "../../src/seo/seo.queries.ts";
import { postFillers, postIndexed, roomyLimits, searchUrl } from "./support.ts";

const article = {
  title: "Setting up voicemail step by step",
  body: "1. Dial **121**.\n2. Follow the voicemail prompts.\n\n<script>alert(1)</script>",
};

describeEachDatabase(
  "knowledge base articles",
  (env) => {
    test("only staff, moderators and admins write articles", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1, moderator: 1 } });
      const outsider = await buildUser(env());
      const post = (auth: { token: string } | null) =>
        env().api.post(`/api/v1/communities/${slug}/articles`, article, auth);
      assert.equal((await post(null)).status, 401);
      assert.equal((await post(outsider.auth)).status, 403);
      assert.equal((await post(members.member[0].auth)).status, 403);
      for (const auth of [members.staff[0].auth, members.moderator[0].auth, admin.auth]) {
        const res = await post(auth);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.article.title, article.title);
        assert.match(res.body.article.bodyHtml, /<strong>121<\/strong>/);
        assert.ok(!res.body.article.bodyHtml.includes("<script>"), "Markdown without raw HTML");
        assert.equal(res.body.article.url, `/c/${slug}/kb/${res.body.article.id}`);
        assert.equal(res.body.article.sourceTopicId, null);
      }
      const missing = await env().api.post(
        `/api/v1/communities/${slug}/articles`,
        { title: "Only a title here" },
        admin.auth,
      );
      assert.equal(missing.status, 422, "from scratch needs title and body");
      const list = await env().api.get(`/api/v1/communities/${slug}/articles`);
      assert.equal(list.status, 200);
      assert.equal(list.body.articles.length, 3);
      const one = await env().api.get(`/api/v1/articles/${list.body.articles[0].id}`);
      assert.deepEqual(one.body.article, list.body.articles[0]);
    });

    test("staff promote a solved topic; unsolved and foreign topics are refused", async () => {
      const { slug, members, categories } = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
      const [asker, helper] = members.member;
      const [staff] = members.staff;
      const solved = await postIndexed(env(), slug, asker, helper, {
        title: "APN settings for the new network",
        body: "Data does not work.",
        categoryId: categories[0].id,
        replies: ["Set the APN to internet.example."],
        accept: 0,
      });
      const unsolved = await postIndexed(env(), slug, asker, helper, {
        title: "Still broken after the update",
        replies: ["No idea."],
      });
      const other = await buildCommunity(env(), { members: { member: 2 } });
      const foreign = await postIndexed(env(), other.slug, other.members.member[0], other.members.member[1], {
        title: "Elsewhere and solved",
        replies: ["Yes."],
        accept: 0,
      });
      const promote = (sourceTopicId: number, extra: object = {}) =>
        env().api.post(`/api/v1/communities/${slug}/articles`, { sourceTopicId, ...extra }, staff.auth);
      const res = await promote(solved.id);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.article.title, "APN settings for the new network");
      assert.match(res.body.article.body, /Data does not work\./);
      assert.match(res.body.article.body, /internet\.example/, "the accepted answer is in the draft");
      assert.equal(res.body.article.sourceTopicId, solved.id);
      assert.equal(res.body.article.category.id, categories[0].id);
      const titled = await promote(solved.id, { title: "APN settings explained" });
      assert.equal(titled.body.article.title, "APN settings explained");
      for (const id of [unsolved.id, foreign.id, 2_000_000_000]) {
        const refused = await promote(id);
        assert.equal(refused.status, 422, String(id));
        assert.ok(refused.body.error.fields.sourceTopicId);
      }
      assert.equal(
        (
          await env().api.post(
            `/api/v1/communities/${slug}/articles`,
            { ...article, categoryId: other.categories[0].id },
            staff.auth,
          )
        ).status,
        422,
        "foreign category",
      );
    });

    test("articles come first in search and suggestions, and follow edits", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await postIndexed(env(), slug, asker, helper, {
        title: "Voicemail setup fails",
        body: "The voicemail prompts stop.",
      });
      await postIndexed(env(), slug, asker, helper, { title: "Another voicemail question", body: "Greeting lost." });
      await postFillers(env(), slug, asker, helper);
      const created = (await env().api.post(`/api/v1/communities/${slug}/articles`, article, admin.auth)).body.article;
      const res = await env().api.get(searchUrl(slug, { q: "voicemail" }));
      assert.equal(res.body.results[0].type, "article");
      assert.equal(res.body.results[0].article.id, created.id);
      assert.equal(res.body.results[0].article.url, created.url);
      assert.match(res.body.results[0].snippet, /<mark>voicemail<\/mark>/i);
      assert.ok(res.body.results.slice(1).every((r: any) => r.type === "topic"));
      assert.ok(res.body.results.some((r: any) => r.topic?.id === topic.id));
      assert.equal(
        (await env().api.get(searchUrl(slug, { q: "voicemail", kind: "question" }))).body.results.every(
          (r: any) => r.type === "topic",
        ),
        true,
        "a kind filter leaves articles out",
      );
      const suggestions = await env().api.get(
        `/api/v1/communities/${slug}/similar?title=${encodeURIComponent("voicemail setup")}`,
      );
      assert.equal(suggestions.body[0].type, "article");
      assert.equal(suggestions.body[0].article.id, created.id);

      const edited = await env().api.patch(
        `/api/v1/articles/${created.id}`,
        { title: "Mailbox configuration guide" },
        admin.auth,
      );
      assert.equal(edited.status, 200);
      assert.equal(
        (await env().api.patch(`/api/v1/articles/${created.id}`, { title: "Not allowed here" }, asker.auth)).status,
        403,
      );
      const renamed = await env().api.get(searchUrl(slug, { q: "mailbox" }));
      assert.equal(renamed.body.results[0]?.article?.id, created.id);
    });

    test("only a topic the writer may read, not held or hidden, is promoted, and never to more readers", async () => {
      const { slug, admin, members, categories } = await buildCommunity(env(), {
        categories: ["General", "Billing"],
        members: { member: 2, staff: 1, moderator: 1 },
      });
      const [asker, helper] = members.member;
      const [staff] = members.staff;
      const [moderator] = members.moderator;
      const billing = categories[1].id;
      const scoped = await env().api.patch(
        `/api/v1/communities/${slug}/categories/${billing}`,
        { scope: "private" },
        admin.auth,
      );
      assert.equal(scoped.status, 200);
      const promote = (topicId: number, auth: { token: string }, extra: Record<string, unknown> = {}) =>
        env().api.post(`/api/v1/communities/${slug}/articles`, { sourceTopicId: topicId, ...extra }, auth);
      const solve = async (topicId: number, by: typeof helper) => {
        const reply = await buildReply(env(), topicId, by, "Corrected on our side.");
        const accepted = await env().api.post(`/api/v1/topics/${topicId}/accept`, { replyId: reply.id }, asker.auth);
        assert.equal(accepted.status, 200);
      };
      const billingTopic = await buildTopic(env(), slug, asker, {
        title: "My invoice shows the wrong IBAN",
        body: "My account number is DE44 5001 0517 5407 3249 31",
        categoryId: billing,
      });
      await solve(billingTopic.id, staff);
      // A moderator is not staff: the private topic is not theirs to read, nor to publish.
      assert.equal((await env().api.get(`/api/v1/topics/${billingTopic.id}`, moderator.auth)).status, 404);
      const unreadable = await promote(billingTopic.id, moderator.auth, { categoryId: null });
      assert.equal(unreadable.status, 422);
      assert.equal(unreadable.body.error.fields.sourceTopicId, "Unknown topic.");
      // Staff read it, but an article in a public category would show it to every member.
      const published = await promote(billingTopic.id, admin.auth, { categoryId: categories[0].id });
      assert.equal(published.status, 422);
      assert.match(published.body.error.fields.categoryId, /readers who may not see it/);
      assert.equal((await promote(billingTopic.id, admin.auth, { categoryId: null })).status, 422);
      const kept = await promote(billingTopic.id, admin.auth);
      assert.equal(kept.status, 201, "in its own private category, the article stays with staff");
      assert.equal((await env().api.get(`/api/v1/articles/${kept.body.article.id}`)).status, 404);
      assert.equal((await env().api.get(`/api/v1/articles/${kept.body.article.id}`, helper.auth)).status, 404);
      assert.equal((await env().api.get(`/api/v1/articles/${kept.body.article.id}`, staff.auth)).status, 200);
      // Nor later, by moving the article out of the private category.
      for (const categoryId of [categories[0].id, null]) {
        const moved = await env().api.patch(`/api/v1/articles/${kept.body.article.id}`, { categoryId }, admin.auth);
        assert.equal(moved.status, 422, `to ${categoryId}`);
        assert.match(moved.body.error.fields.categoryId, /readers who may not see it/);
      }
      assert.equal((await env().api.get(`/api/v1/articles/${kept.body.article.id}`)).status, 404);

      // A hidden accepted answer is not published either.
      const hiddenAnswer = await buildTopic(env(), slug, asker, { title: "A question whose answer is hidden" });
      const answer = await buildReply(env(), hiddenAnswer.id, helper, "An answer a moderator hides later");
      await env().api.post(`/api/v1/topics/${hiddenAnswer.id}/accept`, { replyId: answer.id }, asker.auth);
      const hid = await env().api.post(`/api/v1/posts/reply/${answer.id}/hide`, { reason: "Abuse" }, moderator.auth);
      assert.equal(hid.status, 200);
      const refused = await promote(hiddenAnswer.id, admin.auth);
      assert.equal(refused.status, 422);
      assert.equal(refused.body.error.fields.sourceTopicId, "Only a solved topic can be promoted.");

      const hiddenTopic = await buildTopic(env(), slug, asker, { title: "A question later hidden" });
      await solve(hiddenTopic.id, helper);
      const hidden = await env().api.post(
        `/api/v1/posts/topic/${hiddenTopic.id}/hide`,
        { reason: "Abuse" },
        moderator.auth,
      );
      assert.equal(hidden.status, 200);
      assert.equal((await promote(hiddenTopic.id, moderator.auth)).status, 422, "reviewers see it, nobody else");
      assert.equal(
        (await env().api.get(`/api/v1/communities/${slug}/articles`)).body.articles.length,
        0,
        "nothing was published on the way",
      );
    });

    test("an article in a champions-only category, and the category's name, are for those who may read it", async () => {
      const { slug, admin, members, categories } = await buildCommunity(env(), {
        categories: ["General", "Champions lounge"],
        members: { member: 1, moderator: 1 },
      });
      const lounge = categories[1].id;
      const set = await env().api.put(
        `/api/v1/communities/${slug}/categories/${lounge}/champions-only`,
        { championsOnly: true },
        admin.auth,
      );
      assert.equal(set.status, 200);
      const create = (title: string, categoryId: number) =>
        env().api.post(
          `/api/v1/communities/${slug}/articles`,
          { title, body: "The voicemail escalation steps.", categoryId },
          admin.auth,
        );
      const inner = (await create("Voicemail escalation playbook", lounge)).body.article;
      const open = (await create("Voicemail basics", categories[0].id)).body.article;
      for (const auth of [null, members.member[0].auth]) {
        const list = await env().api.get(`/api/v1/communities/${slug}/articles`, auth);
        assert.deepEqual(
          list.body.articles.map((a: { id: number }) => a.id),
          [open.id],
        );
        assert.doesNotMatch(JSON.stringify(list.body), /Champions lounge/);
        assert.equal((await env().api.get(`/api/v1/articles/${inner.id}`, auth)).status, 404);
        const found = await env().api.get(searchUrl(slug, { q: "voicemail" }), auth);
        assert.deepEqual(
          found.body.results.map((r: { article: { id: number } | null }) => r.article?.id),
          [open.id],
        );
      }
      const moderator = members.moderator[0].auth;
      assert.equal(
        (await env().api.get(`/api/v1/articles/${inner.id}`, moderator)).body.article.category.name,
        "Champions lounge",
      );
      assert.equal((await env().api.get(`/api/v1/communities/${slug}/articles`, moderator)).body.articles.length, 2);
      const all = await env().api.get(searchUrl(slug, { q: "voicemail" }), moderator);
      assert.deepEqual(
        all.body.results.map((r: { article: { id: number } | null }) => r.article?.id).sort(),
        [inner.id, open.id].sort(),
      );
    });

    test("an article follows its source topic out of sight: moved to a private category, or its category made private", async () => {
      const { slug, community, admin, members, categories } = await buildCommunity(env(), {
        categories: ["General", "Billing"],
        members: { member: 2, staff: 1 },
      });
      const [asker, helper] = members.member;
      const [general, billing] = categories.map((c) => c.id);
      const solved = await postIndexed(env(), slug, asker, helper, {
        title: "Voicemail greeting resets itself",
        body: "Every week the voicemail greeting is gone.",
        categoryId: general,
        replies: ["Save the voicemail greeting in the app, not by phone."],
        accept: 0,
      });
      const promoted = await env().api.post(
        `/api/v1/communities/${slug}/articles`,
        { sourceTopicId: solved.id },
        admin.auth,
      );
      assert.equal(promoted.status, 201);
      const id = promoted.body.article.id;
      const readableBy = async (auth: { token: string } | null) => {
        const list = await env().api.get(`/api/v1/communities/${slug}/articles`, auth);
        const found = await env().api.get(searchUrl(slug, { q: "voicemail greeting" }), auth);
        const similar = await env().api.get(
          `/api/v1/communities/${slug}/similar?title=${encodeURIComponent("voicemail greeting gone")}`,
          auth,
        );
        const shown = {
          page: (await env().api.get(`/api/v1/articles/${id}`, auth)).status === 200,
          list: list.body.articles.some((a: { id: number }) => a.id === id),
          search: found.body.results.some((r: { article: { id: number } | null }) => r.article?.id === id),
          similar: similar.body.some((r: { article: { id: number } | null }) => r.article?.id === id),
        };
        return Object.values(shown).every(Boolean) ? "all" : Object.values(shown).some(Boolean) ? shown : "none";
      };
      const inSitemapAndFeed = async () => {
        const urls = await articleUrls(env().deps.db, community.id, 100);
        const feed = await feedArticles(env().deps.db, community.id, 100);
        return [urls.some((a) => a.id === id), feed.some((a) => a.id === id)];
      };
      assert.equal(await readableBy(null), "all");
      assert.deepEqual(await inSitemapAndFeed(), [true, true]);

      const scope = (categoryId: number, value: string) =>
        env().api.patch(`/api/v1/communities/${slug}/categories/${categoryId}`, { scope: value }, admin.auth);
      const move = (categoryId: number) =>
        env().api.post(`/api/v1/topics/${solved.id}/move`, { categoryId }, admin.auth);
      const hiddenFromOthers = async (why: string, askerReads: boolean) => {
        for (const auth of [null, helper.auth])
          assert.equal(await readableBy(auth), "none", `${why}: ${auth ? "member" : "anonymous"}`);
        assert.deepEqual(await inSitemapAndFeed(), [false, false], why);
        const forAsker = (await env().api.get(`/api/v1/articles/${id}`, asker.auth)).status;
        assert.equal(forAsker, askerReads ? 200 : 404, `${why}: the asker`);
        assert.equal((await env().api.get(`/api/v1/articles/${id}`, members.staff[0].auth)).status, 200, why);
      };
      assert.equal((await scope(billing, "private")).status, 200);
      assert.equal((await move(billing)).status, 200);
      await hiddenFromOthers("topic moved to a private category", true);
      assert.equal((await move(general)).status, 200);
      assert.equal(await readableBy(null), "all", "back in a public category");
      assert.equal((await scope(general, "private")).status, 200);
      // The article is in that category too: the asker is not its writer.
      await hiddenFromOthers("its category made private", false);
    });

    test("a promoted article stands in for its topic in suggestions", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const solved = await postIndexed(env(), slug, asker, helper, {
        title: "International calling blocked",
        replies: ["Activate it in the app."],
        accept: 0,
      });
      const created = (
        await env().api.post(`/api/v1/communities/${slug}/articles`, { sourceTopicId: solved.id }, admin.auth)
      ).body.article;
      const suggestions = await env().api.get(
        `/api/v1/communities/${slug}/similar?title=${encodeURIComponent("international calls blocked")}`,
      );
      assert.equal(suggestions.body.length, 1, "article and source topic are one answer");
      assert.equal(suggestions.body[0].article.id, created.id);
      assert.equal(suggestions.body[0].topic.id, solved.id, "the article carries its source topic");
    });

    test("private communities hide their articles; pages render for readers and staff", async () => {
      const secret = await buildCommunity(env(), { visibility: "private", members: { member: 1, staff: 1 } });
      const created = (await env().api.post(`/api/v1/communities/${secret.slug}/articles`, article, secret.admin.auth))
        .body.article;
      const outsider = await buildUser(env());
      assert.equal((await env().api.get(`/api/v1/articles/${created.id}`)).status, 404);
      assert.equal((await env().api.get(`/api/v1/articles/${created.id}`, outsider.auth)).status, 404);
      assert.equal((await env().api.get(`/api/v1/communities/${secret.slug}/articles`, outsider.auth)).status, 404);
      assert.equal((await getPage(env(), `/c/${secret.slug}/kb/${created.id}`)).status, 404);
      const reader = await getPage(env(), `/c/${secret.slug}/kb/${created.id}`, secret.members.member[0]);
      assert.equal(reader.status, 200);
      assert.match(reader.body, /<strong>121<\/strong>/);
      assert.ok(!reader.body.includes("<script>alert(1)"), "escaped");
      const list = await getPage(env(), `/c/${secret.slug}/kb`, secret.members.member[0], { "accept-language": "de" });
      assert.match(list.body, /Wissensdatenbank/);
      assert.ok(!list.body.includes("Artikel schreiben"), "no write button for members");
      assert.equal((await getPage(env(), `/c/${secret.slug}/kb/new`, secret.members.member[0])).status, 403);

      const staff = await browse(env(), secret.members.staff[0]);
      const form = await staff.get(`/c/${secret.slug}/kb/new`);
      assert.equal(form.status, 200);
      const posted = await staff.submit(`/c/${secret.slug}/kb/new`, {
        title: "Roaming in Switzerland",
        body: "Switzerland is *not* in the EU zone.",
        categoryId: "",
      });
      assert.equal(posted.status, 303, posted.body.slice(0, 300));
      const location = String(posted.headers.location);
      assert.match(location, new RegExp(`^/c/${secret.slug}/kb/\\d+$`));
      assert.match((await staff.get(location)).body, /<em>not<\/em>/);
      const bad = await staff.submit(`/c/${secret.slug}/kb/new`, { title: "", body: "", sourceTopicId: "" });
      assert.equal(bad.status, 422);
      assert.match(bad.body, /form-alert/);

      const abilitiesOf = async (auth: { token: string }) =>
        (await env().api.get(`/api/v1/communities/${secret.slug}/articles`, auth)).body.abilities;
      assert.deepEqual(await abilitiesOf(secret.members.member[0].auth), { write: false });
      assert.deepEqual(await abilitiesOf(secret.members.staff[0].auth), { write: true });
      assert.match((await staff.get(`/c/${secret.slug}/kb`)).body, />Write an article</);
      assert.equal((await getPage(env(), `/c/${secret.slug}/kb/new`)).status, 401);
    });

    test("editing an article through its form: staff only, mistakes come back next to the fields", async () => {
      const { slug, members, admin } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const created = (await env().api.post(`/api/v1/communities/${slug}/articles`, article, admin.auth)).body.article;
      const edit = `/c/${slug}/kb/${created.id}/edit`;
      const reader = await getPage(env(), `/c/${slug}/kb/${created.id}`, members.member[0]);
      assert.doesNotMatch(reader.body, />Edit article</, "no edit button for members");
      assert.equal((await getPage(env(), edit)).status, 401);
      assert.equal((await getPage(env(), edit, members.member[0])).status, 403);
      const member = await browse(env(), members.member[0]);
      assert.equal((await member.submit(edit, { title: "Taken over by a member" })).status, 403);
      const staff = await browse(env(), members.staff[0]);
      assert.match((await staff.get(`/c/${slug}/kb/${created.id}`)).body, new RegExp(`href="${edit}">Edit article<`));
      const form = await staff.get(edit);
      assert.equal(form.status, 200);
      assert.match(form.body, new RegExp(`value="${created.title}"`), "the form starts from the article");
      const invalid = await staff.submit(edit, { title: "Short", body: "Still here" });
      assert.equal(invalid.status, 422);
      assert.match(invalid.body, /id="title-error">/);
      assert.match(invalid.body, /value="Short"/, "what was typed is kept");
      // A title emptied in the form is a mistake to show, not "keep the old one" (it said saved).
      const emptied = await staff.submit(edit, { title: "   ", body: "New body text here" });
      assert.equal(emptied.status, 422);
      assert.match(emptied.body, /id="title-error">/);
      assert.equal((await env().api.get(`/api/v1/articles/${created.id}`)).body.article.body, created.body);
      const saved = await staff.submit(edit, { title: "Calling abroad from your mobile", body: created.body });
      assert.equal(saved.status, 303);
      assert.equal(saved.headers.location, `/c/${slug}/kb/${created.id}`);
      assert.match((await staff.get(String(saved.headers.location))).body, /Calling abroad from your mobile/);
      const moved = await getPage(env(), `/c/not-${slug}/kb/${created.id}`);
      assert.equal(moved.status, 301, "an article under another community's address moves to its own");
      assert.equal(moved.headers.location, `/c/${slug}/kb/${created.id}`);
    });
  },
  roomyLimits,
);
