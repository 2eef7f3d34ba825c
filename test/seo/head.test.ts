import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { topicSlug } from "../../src/topics/index.ts";
import { canonicalOf, fetchPath, headOf, jsonLdOf, meta, ofType } from "./support.ts";

/** A community in German with a described category, an asker, two helpers and staff. */
async function community(env: TestEnv) {
  const built = await buildCommunity(env, { categories: ["Internet"], members: { member: 3, staff: 1 } });
  await env.deps.db
    .updateTable("communities")
    .set({ locale: "de", description: "Help with internet, TV and mobile. Answers from customers and staff." })
    .where("id", "=", built.community.id)
    .execute();
  return built;
}

async function page(env: TestEnv, url: string, user?: Parameters<typeof fetchPath>[3]) {
  const res = await fetchPath(env, url, {}, user);
  assert.equal(res.status, 200, url);
  return res.body;
}

/** The Q&A rich result's required and recommended properties of an Answer. */
function assertAnswer(answer: any, expected: { text: string; author: string; votes: number; url: string }) {
  assert.equal(answer["@type"], "Answer");
  assert.equal(answer.text, expected.text);
  assert.equal(answer.author["@type"], "Person");
  assert.equal(answer.author.name, expected.author);
  assert.equal(answer.upvoteCount, expected.votes);
  assert.match(answer.dateCreated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  assert.equal(answer.url, expected.url);
}

describeEachDatabase("the head of public pages", (env) => {
  test("a solved question: canonical, the accepted answer as description, Open Graph, hreflang, QAPage", async () => {
    const { slug, members, categories } = await community(env());
    const [asker, helper, voter] = members.member;
    const topic = await buildTopic(env(), slug, asker, {
      title: "Router blinks red after the update",
      body: "Since yesterday's update my router blinks **red**. I restarted it twice.",
      categoryId: categories[0].id,
      tags: ["router"],
    });
    const other = await buildReply(env(), topic.id, voter, "Maybe the cable is loose?");
    const accepted = await buildReply(
      env(),
      topic.id,
      helper,
      "Hold the reset button for ten seconds. The light turns green within a minute. Then log in again.",
    );
    assert.equal((await env().api.put(`/api/v1/replies/${accepted.id}/vote`, { value: 1 }, voter.auth)).status, 200);
    assert.equal((await env().api.put(`/api/v1/replies/${accepted.id}/vote`, { value: 1 }, asker.auth)).status, 200);
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: accepted.id }, asker.auth)).status,
      200,
    );

    const base = env().deps.config.baseUrl;
    const url = `${base}/c/${slug}/t/${topic.id}/router-blinks-red-after-the-update`;
    assert.equal(topic.url, `/c/${slug}/t/${topic.id}/router-blinks-red-after-the-update`);
    const body = await page(env(), topic.url);
    const head = headOf(body);
    assert.equal(canonicalOf(body), url);
    assert.equal(
      meta(body, "description"),
      "Hold the reset button for ten seconds. The light turns green within a minute. Then log in again.",
      "a solved topic is described by its accepted answer",
    );
    assert.doesNotMatch(head, /name="robots"/);
    assert.equal(meta(body, "og:type"), "article");
    assert.equal(meta(body, "og:title"), "Router blinks red after the update");
    assert.equal(meta(body, "og:url"), url);
    assert.match(meta(body, "og:site_name")!, /^Community \d+$/);
    assert.equal(meta(body, "og:description"), meta(body, "description"));
    assert.equal(meta(body, "twitter:card"), "summary");
    assert.equal(meta(body, "twitter:title"), "Router blinks red after the update");
    assert.match(head, new RegExp(`<link rel="alternate" hreflang="de" href="${url}">`));
    assert.match(head, new RegExp(`<link rel="alternate" hreflang="x-default" href="${url}">`));
    assert.match(
      head,
      new RegExp(
        `<link rel="alternate" type="application/atom\\+xml" title="[^"]+" href="/c/${slug}/feeds/topics/${topic.id}">`,
      ),
    );

    const blocks = jsonLdOf(body);
    const qa = ofType(blocks, "QAPage");
    assert.equal(qa["@context"], "https://schema.org");
    const question = qa.mainEntity;
    assert.equal(question["@type"], "Question");
    assert.equal(question.name, "Router blinks red after the update");
    assert.equal(question.text, "Since yesterday's update my router blinks red. I restarted it twice.");
    assert.equal(question.answerCount, 2);
    assert.equal(question.upvoteCount, 0);
    assert.equal(question.dateCreated, topic.createdAt);
    assert.equal(question.author.name, asker.name);
    assertAnswer(question.acceptedAnswer, {
      text: "Hold the reset button for ten seconds. The light turns green within a minute. Then log in again.",
      author: helper.name,
      votes: 2,
      url: `${url}#reply-${accepted.id}`,
    });
    assert.equal(question.suggestedAnswer.length, 1);
    assertAnswer(question.suggestedAnswer[0], {
      text: "Maybe the cable is loose?",
      author: voter.name,
      votes: 0,
      url: `${url}#reply-${other.id}`,
    });
    const trail = ofType(blocks, "BreadcrumbList");
    assert.deepEqual(
      trail.itemListElement.map((i: any) => [i.position, i.item]),
      [
        [1, `${base}/`],
        [2, `${base}/c/${slug}`],
        [3, url],
      ],
    );
  });

  test("an unsolved question is described by its own first sentences and suggests its replies", async () => {
    const { slug, members } = await community(env());
    const [asker, helper] = members.member;
    const long = `${"My fibre box shows error E-102 every morning. ".repeat(2)}${"It then reconnects after a while without doing anything special at all. ".repeat(3)}`;
    const topic = await buildTopic(env(), slug, asker, { title: "Error E-102 every morning", body: long });
    await buildReply(env(), topic.id, helper, "Which box model do you have?");
    const body = await page(env(), topic.url);
    const description = meta(body, "description")!;
    assert.equal(
      description,
      "My fibre box shows error E-102 every morning. My fibre box shows error E-102 every morning.",
    );
    assert.ok(description.length <= 160);
    const question = ofType(jsonLdOf(body), "QAPage").mainEntity;
    assert.equal(question.acceptedAnswer, undefined);
    assert.equal(question.answerCount, 1);
    assert.equal(question.suggestedAnswer[0].text, "Which box model do you have?");
  });

  test("a description cut inside a long first sentence never splits an emoji in half", async () => {
    const { slug, members } = await community(env());
    // The cut falls between the two UTF-16 halves of the first emoji.
    const body = `${"a".repeat(158)}😀😀 and the router still blinks`;
    const topic = await buildTopic(env(), slug, members.member[0], { title: "Emoji at the cut", body });
    const description = meta(await page(env(), topic.url), "description")!;
    assert.doesNotMatch(description, /\ufffd/, "no replacement character");
    assert.equal(description, `${"a".repeat(158)}…`);
  });

  test("an idea is a DiscussionForumPosting with its replies as comments", async () => {
    const { slug, members } = await community(env());
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, {
      kind: "idea",
      title: "Dark mode for the TV guide",
      body: "Please add a dark mode. The guide is too bright at night.",
    });
    await buildReply(env(), topic.id, helper, "Yes please!");
    const blocks = jsonLdOf(await page(env(), topic.url));
    assert.equal(ofType(blocks, "QAPage"), undefined);
    const post = ofType(blocks, "DiscussionForumPosting");
    assert.equal(post.headline, "Dark mode for the TV guide");
    assert.equal(post.text, "Please add a dark mode. The guide is too bright at night.");
    assert.equal(post.url, env().deps.config.baseUrl + topic.url);
    assert.equal(post.datePublished, topic.createdAt);
    assert.equal(post.author.name, asker.name);
    assert.deepEqual(
      post.comment.map((c: any) => [c["@type"], c.text, c.author.name]),
      [["Comment", "Yes please!", helper.name]],
    );
    assert.ok(ofType(blocks, "BreadcrumbList"));
  });

  test("a signed-in member's topic page keeps the head but no structured data, which is for crawlers", async () => {
    const { slug, members } = await community(env());
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Dropouts every evening" });
    await buildReply(env(), topic.id, helper, "Which router model do you have?");
    const anonymous = await page(env(), topic.url);
    assert.ok(ofType(jsonLdOf(anonymous), "QAPage"), "visitors and crawlers get the QAPage");
    const signedIn = await page(env(), topic.url, helper);
    assert.deepEqual(jsonLdOf(signedIn), []);
    assert.equal(canonicalOf(signedIn), canonicalOf(anonymous));
    assert.equal(meta(signedIn, "og:title"), meta(anonymous, "og:title"));
    assert.equal(meta(signedIn, "description"), meta(anonymous, "description"));
  });

  test("a knowledge-base article is an Article; the knowledge base and the community link their feeds", async () => {
    const { slug, admin } = await community(env());
    const emptyKb = await page(env(), `/c/${slug}/kb`);
    assert.equal(meta(emptyKb, "robots"), "noindex", "an empty list is not indexed");
    const created = await env().api.post(
      `/api/v1/communities/${slug}/articles`,
      { title: "Resetting your router", body: "Hold the reset button for ten seconds. Wait for the green light." },
      admin.auth,
    );
    assert.equal(created.status, 201);
    const article = created.body.article ?? created.body;
    const body = await page(env(), article.url);
    const base = env().deps.config.baseUrl;
    assert.equal(canonicalOf(body), base + article.url);
    assert.equal(meta(body, "description"), "Hold the reset button for ten seconds. Wait for the green light.");
    assert.equal(meta(body, "og:type"), "article");
    const node = ofType(jsonLdOf(body), "Article");
    assert.equal(node.headline, "Resetting your router");
    assert.equal(node.author.name, admin.name);
    assert.match(node.datePublished, /^\d{4}-/);
    assert.match(node.dateModified, /^\d{4}-/);
    assert.equal(node.mainEntityOfPage["@id"], base + article.url);
    assert.match(node.publisher.name, /^Community \d+$/);
    assert.match(headOf(body), new RegExp(`type="application/atom\\+xml" title="[^"]+" href="/c/${slug}/feeds/kb"`));
    const kb = await page(env(), `/c/${slug}/kb`);
    assert.equal(meta(kb, "robots"), undefined);
    assert.equal(canonicalOf(kb), `${base}/c/${slug}/kb`);
    const home = headOf(await page(env(), `/c/${slug}`));
    for (const feed of ["latest", "solved", "kb"])
      assert.match(home, new RegExp(`type="application/atom\\+xml" title="[^"]+" href="/c/${slug}/feeds/${feed}"`));
  });

  test("lists: canonical without sorting, the community description, category and tag feeds", async () => {
    const { slug, members, categories } = await community(env());
    await buildTopic(env(), slug, members.member[0], { categoryId: categories[0].id, tags: ["wifi"] });
    const base = `${env().deps.config.baseUrl}/c/${slug}`;
    const home = await page(env(), `/c/${slug}?sort=newest`);
    assert.equal(canonicalOf(home), base);
    assert.equal(meta(home, "description"), "Help with internet, TV and mobile. Answers from customers and staff.");
    assert.equal(meta(home, "robots"), undefined);
    const category = await page(env(), `/c/${slug}?category=${categories[0].id}`);
    assert.equal(canonicalOf(category), `${base}?category=internet`);
    assert.match(headOf(category), new RegExp(`href="/c/${slug}/feeds/categories/internet"`));
    const tag = await page(env(), `/c/${slug}?tag=wifi`);
    assert.equal(canonicalOf(tag), `${base}?tag=wifi`);
    assert.match(headOf(tag), new RegExp(`href="/c/${slug}/feeds/tags/wifi"`));
  });

  test("noindex: search results, empty lists, member-only pages, a private topic", async () => {
    const { slug, members, categories, admin } = await community(env());
    assert.equal(meta(await page(env(), `/c/${slug}`), "robots"), "noindex", "no topic yet");
    await buildTopic(env(), slug, members.member[0]);
    assert.equal(meta(await page(env(), `/c/${slug}`), "robots"), undefined);
    assert.equal(meta(await page(env(), `/c/${slug}?tag=nothing-here`), "robots"), "noindex");
    assert.equal(meta(await page(env(), `/c/${slug}/search?q=router`), "robots"), "noindex");
    assert.equal(meta(await page(env(), "/login"), "robots"), "noindex");

    const closed = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const insider = closed.members.member[0];
    const secret = await buildTopic(env(), closed.slug, insider, { title: "Internal roadmap question" });
    for (const url of [`/c/${closed.slug}`, secret.url])
      assert.equal(meta(await page(env(), url, insider), "robots"), "noindex", `${url} is for members only`);

    await env()
      .deps.db.updateTable("categories")
      .set({ scope: "private" })
      .where("id", "=", categories[0].id)
      .execute();
    const asker = members.member[1];
    const billing = await buildTopic(env(), slug, asker, { title: "My IBAN is wrong", categoryId: categories[0].id });
    assert.equal(meta(await page(env(), billing.url, asker), "robots"), "noindex");
    assert.equal(meta(await page(env(), billing.url, admin), "robots"), "noindex");
    assert.equal((await fetchPath(env(), billing.url)).status, 404);
    const notFound = await fetchPath(env(), "/no/such/page");
    assert.match(headOf(notFound.body), /<meta name="robots" content="noindex">/);
    assert.doesNotMatch(headOf(notFound.body), /rel="canonical"/);
  });

  test("topic addresses: a missing or wrong title slug and the wrong community answer 301 to the canonical one", async () => {
    const { slug, members } = await community(env());
    const other = await buildCommunity(env());
    const topic = await buildTopic(env(), slug, members.member[0], { title: "Zürich: Wi-Fi drops at 5 pm?" });
    const canonical = `/c/${slug}/t/${topic.id}/zurich-wi-fi-drops-at-5-pm`;
    assert.equal(topic.url, canonical);
    for (const url of [
      `/c/${slug}/t/${topic.id}`,
      `/c/${slug}/t/${topic.id}/old-title`,
      `/c/${slug}/t/${topic.id}/ZURICH-WI-FI-DROPS-AT-5-PM`,
      `/c/${other.slug}/t/${topic.id}/zurich-wi-fi-drops-at-5-pm`,
      `/c/${other.slug}/t/${topic.id}`,
    ]) {
      const res = await fetchPath(env(), url);
      assert.equal(res.status, 301, url);
      assert.equal(res.headers.location, canonical, url);
    }
    assert.equal((await fetchPath(env(), canonical)).status, 200);
    const edited = await env().api.patch(
      `/api/v1/topics/${topic.id}`,
      { title: "Wi-Fi drops every evening" },
      members.member[0].auth,
    );
    assert.equal(edited.status, 200);
    const moved = await fetchPath(env(), canonical);
    assert.equal(moved.status, 301, "the old title's address follows the new title");
    assert.equal(moved.headers.location, `/c/${slug}/t/${topic.id}/wi-fi-drops-every-evening`);
    assert.equal((await fetchPath(env(), `/c/${slug}/t/999999/anything`)).status, 404);
    const reserved = await buildTopic(env(), slug, members.member[0], { title: "History ???" });
    assert.equal(reserved.url, `/c/${slug}/t/${reserved.id}/history-topic`, "never the address of a topic's subpage");
    assert.equal((await fetchPath(env(), reserved.url)).status, 200);
    await buildUser(env());
  });

  test("a community's other pages have its lowercase slug in their canonical address, however it was typed", async () => {
    const { slug, members } = await community(env());
    const base = env().deps.config.baseUrl;
    const member = members.member[0];
    for (const path of ["/categories", `/u/${member.id}`]) {
      const body = await page(env(), `/c/${slug.toUpperCase()}${path}?ref=mail`);
      assert.equal(canonicalOf(body), `${base}/c/${slug}${path}`);
    }
  });

  test("no page under a topic's address can be taken for a title slug", () => {
    // The GET pages registered right under /c/:slug/t/:id, read from the router's own tree.
    const lines = env().app.printRoutes({ commonPrefix: false }).split("\n");
    const at = lines.findIndex((line) => /\/t\/:id \(GET/.test(line));
    const depth = lines[at].indexOf("/t/:id");
    const end = lines.findIndex((line, i) => i > at && line.indexOf("/") <= depth);
    const subpages = lines
      .slice(at + 1, end < 0 ? undefined : end)
      .filter((line) => line.indexOf("/") === depth + 4 && /\(.*GET/.test(line))
      .map((line) => /\/([a-z-]+) \(/.exec(line)?.[1])
      .filter((segment): segment is string => segment !== undefined);
    assert.ok(subpages.includes("edit") && subpages.includes("history"), subpages.join(", "));
    for (const segment of subpages) assert.notEqual(topicSlug(segment), segment, `a title "${segment}"`);
  });
});
