import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { getPage } from "./web-helpers.ts";

describeEachDatabase("web pages", (env) => {
  test("the front page lists public communities, and private ones only to members", async () => {
    const open = await buildCommunity(env());
    const closed = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const anonymous = await getPage(env(), "/");
    assert.equal(anonymous.status, 200);
    assert.match(anonymous.body, new RegExp(`href="/c/${open.slug}"`));
    assert.doesNotMatch(anonymous.body, new RegExp(`/c/${closed.slug}"`));
    const member = await getPage(env(), "/", closed.members.member[0]);
    assert.match(
      member.body,
      new RegExp(`href="/c/${closed.slug}">${closed.community.name}</a> <span class="badge warning">Private</span>`),
    );
    assert.doesNotMatch(member.body, /Create a community/, "only platform admins get the form");
  });

  test("the topic list shows each topic's kind, status, category, tags, author and counts", async () => {
    const { slug, members } = await buildCommunity(env(), { categories: ["Billing"], members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, {
      title: "Where is my invoice for March?",
      tags: ["invoice", "billing"],
      categoryId: null,
    });
    await buildReply(env(), topic.id, helper);
    const res = await getPage(env(), `/c/${slug}`);
    assert.equal(res.status, 200);
    assert.match(res.body, /<h1>Community \d+/);
    assert.match(res.body, new RegExp(`<a href="${topic.url}">Where is my invoice for March\\?</a>`));
    assert.match(res.body, /class="kind kind-question">Question</);
    assert.match(res.body, /class="badge info">Answered</);
    assert.match(res.body, new RegExp(`href="/c/${slug}\\?tag=invoice">invoice</a>`));
    assert.match(res.body, /1 reply/);
    assert.match(res.body, /<label for="f-kind">Kind<\/label>/);
    assert.match(
      res.body,
      new RegExp(`href="/login\\?next=%2Fc%2F${slug}%2Fnew">Log in to post`),
      "anonymous visitors are invited to log in",
    );
    const member = await getPage(env(), `/c/${slug}`, asker);
    assert.match(member.body, new RegExp(`href="/c/${slug}/new">New topic`));
    const outsider = await getPage(env(), `/c/${slug}`, await buildUser(env()));
    assert.match(outsider.body, new RegExp(`action="/c/${slug}/join"`), "non-members of a public community can join");
  });

  test("filters, sorting and pagination of the topic list", async () => {
    const { slug, members, categories } = await buildCommunity(env(), {
      categories: ["TV", "Mobile"],
      members: { member: 1 },
    });
    const [author] = members.member;
    await buildTopic(env(), slug, author, {
      title: "An idea about the TV guide",
      kind: "idea",
      tags: ["tv-guide"],
      categoryId: categories[0].id,
    });
    await buildTopic(env(), slug, author, { title: "A question about roaming fees", tags: ["roaming"] });
    await buildTopic(env(), slug, author, { title: "Praise for the shop staff today", kind: "praise" });
    const ideas = await getPage(env(), `/c/${slug}?kind=idea&category=&status=&tag=&sort=newest`);
    assert.equal(ideas.status, 200, "empty filter fields mean any");
    assert.match(ideas.body, /An idea about the TV guide/);
    assert.doesNotMatch(ideas.body, /roaming fees/);
    assert.match(ideas.body, /<option value="idea" selected>Idea<\/option>/, "the form shows the active filter");
    const tv = await getPage(env(), `/c/${slug}?category=tv`);
    assert.match(tv.body, /An idea about the TV guide/);
    assert.doesNotMatch(tv.body, /roaming fees/);
    const tagged = await getPage(env(), `/c/${slug}?tag=roaming`);
    assert.match(tagged.body, /roaming fees/);
    assert.doesNotMatch(tagged.body, /TV guide/);
    const first = await getPage(env(), `/c/${slug}?sort=newest&limit=2`);
    assert.match(first.body, /Praise for the shop staff/);
    assert.doesNotMatch(first.body, /An idea about the TV guide/);
    const more = /href="([^"]+)" rel="next">More topics</.exec(first.body);
    assert.ok(more, "a More topics link leads to the next page");
    const second = await getPage(env(), more[1].replace(/&amp;/g, "&"));
    assert.match(second.body, /An idea about the TV guide/);
    assert.doesNotMatch(second.body, /rel="next"/);
    assert.equal((await getPage(env(), `/c/${slug}?kind=nonsense`)).status, 422);
  });

  test("the topic page shows the accepted solution first, official replies marked, and comments", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, staff: 1 } });
    const [asker, helper, other] = members.member;
    const [staff] = members.staff;
    const topic = await buildTopic(env(), slug, asker, { body: "It keeps **blinking** red." });
    const plain = await buildReply(env(), topic.id, other, "Have you tried turning it off and on again?");
    const official = await buildReply(env(), topic.id, staff, "We are looking into it.");
    const solution = await buildReply(env(), topic.id, helper, "Hold the reset button for ten seconds.");
    await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: solution.id }, asker.auth);
    await env().api.post(`/api/v1/replies/${solution.id}/comments`, { body: "That worked, thanks!" }, asker.auth);
    const res = await getPage(env(), topic.url);
    assert.equal(res.status, 200);
    assert.match(res.body, /<h1 id="topic-title">How do I reset my router\?<\/h1>/);
    assert.match(res.body, /<p>It keeps <strong>blinking<\/strong> red.<\/p>/);
    assert.match(res.body, /class="badge success">Solved</);
    const order = [solution.id, official.id, plain.id].map((id) => res.body.indexOf(`id="reply-${id}"`));
    assert.ok(
      order.every((i) => i > 0) && order[0] < order[1] && order[1] < order[2],
      "accepted, then official, then the rest",
    );
    assert.match(res.body, new RegExp(`class="post reply accepted" id="reply-${solution.id}"`));
    assert.match(res.body, /✓ Accepted solution/);
    assert.match(
      res.body,
      new RegExp(`class="post reply official" id="reply-${official.id}"[^]*?class="badge accent">Official<`),
    );
    assert.match(res.body, /That worked, thanks!/);
    assert.match(res.body, new RegExp(`href="/login\\?next=${encodeURIComponent(topic.url)}">Log in to reply`));
    assert.doesNotMatch(res.body, /<form method="post"/, "anonymous visitors get links, not forms");
  });

  test("the viewer's abilities decide which buttons appear", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    const asAsker = (await getPage(env(), topic.url, asker)).body;
    assert.match(asAsker, new RegExp(`href="/c/${slug}/t/${topic.id}/edit">Edit`), "authors may edit");
    assert.match(asAsker, /Accept as solution/, "the asker may accept");
    assert.doesNotMatch(asAsker, new RegExp(`action="/c/${slug}/t/${topic.id}/vote"`), "no voting on one's own topic");
    assert.match(asAsker, new RegExp(`action="/c/${slug}/r/${reply.id}/vote"[^>]*>.*aria-pressed="false"`));
    assert.match(asAsker, /<form method="post" action="[^"]+\/reply" enctype="multipart\/form-data" novalidate>/);
    const asHelper = (await getPage(env(), topic.url, helper)).body;
    assert.doesNotMatch(asHelper, /Accept as solution/);
    assert.match(asHelper, new RegExp(`href="/c/${slug}/r/${reply.id}/edit">Edit`));
    assert.doesNotMatch(asHelper, new RegExp(`href="/c/${slug}/t/${topic.id}/edit"`));
  });

  test("private communities are not found for anonymous visitors and non-members", async () => {
    const { slug, members } = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    const reply = await buildReply(env(), topic.id, members.member[0]);
    const outsider = await buildUser(env());
    for (const url of [
      `/c/${slug}`,
      `/c/${slug}/t/${topic.id}`,
      topic.url,
      `/c/${slug}/t/${topic.id}/history`,
      `/c/${slug}/r/${reply.id}/history`,
    ]) {
      for (const viewer of [null, outsider]) {
        const res = await getPage(env(), url, viewer);
        assert.equal(res.status, 404, `${url} for ${viewer ? "a non-member" : "anonymous"}`);
        assert.match(res.body, /Page not found/);
        assert.doesNotMatch(res.body, /How do I reset my router/);
      }
    }
    assert.equal((await getPage(env(), topic.url, members.member[0])).status, 200);
  });

  test("markup in posts is shown as text, never run", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0], {
      title: `<img src=x onerror="alert(1)"> title`,
      body: `<script>alert("body")</script>\n\n[click](javascript:alert(1))`,
      tags: ["safe"],
    });
    await buildReply(env(), topic.id, members.member[0], `<script>alert("reply")</script>`);
    for (const url of [topic.url, `/c/${slug}`]) {
      const { body } = await getPage(env(), url);
      assert.doesNotMatch(body, /<script>alert/);
      assert.doesNotMatch(body, /<img src=x/);
      assert.doesNotMatch(body, /href="javascript:/);
      assert.match(body, /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt; title/);
    }
    const { body } = await getPage(env(), topic.url);
    assert.match(body, /&lt;script&gt;alert\(&quot;body&quot;\)&lt;\/script&gt;/);
    assert.match(body, /&lt;script&gt;alert\(&quot;reply&quot;\)&lt;\/script&gt;/);
  });

  test("anonymous pages are cacheable with an ETag, set no cookie, and answer 304", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    for (const url of ["/", `/c/${slug}`, topic.url]) {
      const first = await getPage(env(), url);
      assert.equal(first.headers["set-cookie"], undefined, `${url} sets no cookie`);
      assert.equal(first.headers["cache-control"], "public, max-age=0, must-revalidate");
      assert.match(String(first.headers.vary), /Cookie/);
      const etag = String(first.headers.etag);
      assert.match(etag, /^"[\w-]+"$/);
      const again = await getPage(env(), url, null, { "if-none-match": etag });
      assert.equal(again.status, 304);
      assert.equal(again.body, "");
    }
    const personal = await getPage(env(), topic.url, members.member[0]);
    assert.equal(personal.headers["cache-control"], "private, no-store");
    assert.equal(personal.headers.etag, undefined);
    const login = await getPage(env(), "/login");
    assert.equal(login.headers["cache-control"], "private, no-store", "a page with a form carries a personal token");
  });

  test("pages speak the visitor's language", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    await buildTopic(env(), slug, members.member[0]);
    const de = await getPage(env(), `/c/${slug}`, null, { "accept-language": "de-CH,de;q=0.9,en;q=0.5" });
    assert.match(de.body, /<html lang="de">/);
    assert.match(de.body, />Anmelden</);
    assert.match(de.body, />Frage</);
    const fr = await getPage(env(), "/login", null, { "accept-language": "fr" });
    assert.match(fr.body, /<label for="password">Mot de passe<\/label>/);
  });

  test("unknown pages and topics under the wrong community", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const other = await buildCommunity(env());
    const topic = await buildTopic(env(), slug, members.member[0]);
    assert.equal((await getPage(env(), "/no/such/page")).status, 404);
    assert.equal((await getPage(env(), `/c/${slug}/t/999999`)).status, 404);
    assert.equal((await getPage(env(), `/c/${slug}/t/abc`)).status, 404);
    const moved = await getPage(env(), `/c/${other.slug}/t/${topic.id}`);
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, topic.url);
  });
});
