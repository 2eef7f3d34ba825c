import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { childText, childrenNamed, parseXml, type XmlElement } from "./xml.ts";
import { fetchPath } from "./support.ts";

const ATOM = "http://www.w3.org/2005/Atom";

async function feed(env: TestEnv, url: string) {
  const res = await fetchPath(env, url);
  assert.equal(res.status, 200, url);
  assert.match(String(res.headers["content-type"]), /^application\/atom\+xml/);
  const root = parseXml(res.body);
  assert.equal(root.name, "feed");
  assert.equal(root.attrs.xmlns, ATOM);
  for (const required of ["id", "title", "updated"]) assert.ok(childText(root, required), `feed ${required}`);
  return { root, res };
}

const entries = (root: XmlElement) =>
  childrenNamed(root, "entry").map((e) => ({
    id: childText(e, "id")!,
    title: childText(e, "title")!,
    link: childrenNamed(e, "link")[0]?.attrs.href,
    author: childText(childrenNamed(e, "author")[0], "name"),
    updated: childText(e, "updated")!,
    content: childText(e, "content")!,
  }));

/** A public community with topics in a crowd and a private category, a hidden one, a solved one, an article. */
async function world(env: TestEnv) {
  const built = await buildCommunity(env, { categories: ["Internet", "Billing"], members: { member: 2 } });
  const { slug, categories, members, community } = built;
  await env.deps.db.updateTable("categories").set({ scope: "private" }).where("id", "=", categories[1].id).execute();
  await env.deps.db.updateTable("communities").set({ locale: "fr" }).where("id", "=", community.id).execute();
  const [asker, helper] = members.member;
  const wifi = await buildTopic(env, slug, asker, {
    title: "Wi-Fi drops <at> night",
    body: "It drops **every** night & morning.",
    categoryId: categories[0].id,
    tags: ["wifi"],
  });
  env.clock.advance(60_000);
  const tv = await buildTopic(env, slug, asker, { title: "TV box keeps rebooting", tags: ["tv"] });
  const answer = await buildReply(env, tv.id, helper, "Unplug it for **30 seconds**.");
  await env.api.post(`/api/v1/topics/${tv.id}/accept`, { replyId: answer.id }, asker.auth);
  env.clock.advance(60_000);
  const billing = await buildTopic(env, slug, asker, {
    title: "Wrong IBAN on my invoice",
    categoryId: categories[1].id,
  });
  const hidden = await buildTopic(env, slug, asker, { title: "Buy cheap watches now" });
  await env.deps.db.updateTable("topics").set({ moderationState: "hidden" }).where("id", "=", hidden.id).execute();
  const article = await env.api.post(
    `/api/v1/communities/${slug}/articles`,
    { title: "Restarting the TV box", body: "Hold the power button." },
    built.admin.auth,
  );
  return { ...built, wifi, tv, answer, billing, hidden, article: article.body.article ?? article.body };
}

describeEachDatabase("Atom feeds", (env) => {
  test("the latest topics: newest first, only what anonymous visitors may read, escaped, in the community's language", async () => {
    const { slug, wifi, tv } = await world(env());
    const base = env().deps.config.baseUrl;
    const { root } = await feed(env(), `/c/${slug}/feeds/latest`);
    assert.equal(root.attrs["xml:lang"], "fr");
    assert.match(childText(root, "title")!, /^Derniers sujets de Community \d+$/);
    assert.equal(
      childrenNamed(root, "link").find((l) => l.attrs.rel === "self")?.attrs.href,
      `${base}/c/${slug}/feeds/latest`,
    );
    const list = entries(root);
    assert.deepEqual(
      list.map((e) => e.title),
      ["TV box keeps rebooting", "Wi-Fi drops <at> night"],
      "no private-scope and no hidden topic",
    );
    assert.equal(list[1].link, base + wifi.url);
    assert.equal(list[1].id, `${base}/c/${slug}/t/${wifi.id}`);
    assert.match(list[1].content, /<strong>every<\/strong> night &amp; morning/);
    const newest = list
      .map((e) => e.updated)
      .sort()
      .at(-1);
    assert.equal(childText(root, "updated"), newest, "the feed is as new as its newest entry, not the hidden ones");
    assert.equal(list[0].author, tv.author.name);
  });

  test("category, tag, newly solved, knowledge base and a topic's replies", async () => {
    const { slug, wifi, tv, answer, article, billing } = await world(env());
    const titles = async (url: string) => entries((await feed(env(), url)).root).map((e) => e.title);
    assert.deepEqual(await titles(`/c/${slug}/feeds/categories/internet`), [wifi.title]);
    assert.deepEqual(await titles(`/c/${slug}/feeds/tags/tv`), [tv.title]);
    assert.deepEqual(await titles(`/c/${slug}/feeds/solved`), [tv.title]);
    assert.deepEqual(await titles(`/c/${slug}/feeds/kb`), [article.title]);
    const replies = entries((await feed(env(), `/c/${slug}/feeds/topics/${tv.id}`)).root);
    assert.equal(replies.length, 1);
    assert.match(replies[0].content, /Unplug it for <strong>30 seconds<\/strong>/);
    assert.equal(replies[0].link, `${env().deps.config.baseUrl}${tv.url}#reply-${answer.id}`);
    for (const url of [
      `/c/${slug}/feeds/categories/billing`,
      `/c/${slug}/feeds/categories/nope`,
      `/c/${slug}/feeds/topics/${billing.id}`,
      `/c/${slug}/feeds/tags/${encodeURIComponent("<bad>")}`,
    ])
      assert.equal((await fetchPath(env(), url)).status, 404, url);
  });

  test("control characters pasted into a post leave the feeds well-formed XML", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, { body: "Router log:\u0001 link\u000b down \u001b[0m again" });
    await buildReply(env(), topic.id, helper, "Same here\u0008 since Monday\uffff");
    for (const url of [`/c/${slug}/feeds/latest`, `/c/${slug}/feeds/topics/${topic.id}`]) {
      const { res } = await feed(env(), url);
      // XML 1.0 allows none of these, escaped or not: one of them and feed readers refuse the whole feed.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
      assert.doesNotMatch(res.body, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/, url);
    }
    const { root } = await feed(env(), `/c/${slug}/feeds/topics/${topic.id}`);
    assert.ok(entries(root).some((e) => e.content.includes("Same here since Monday")));
  });

  test("a merged topic's feed sends its subscribers to the feed of the topic it went into", async () => {
    const built = await buildCommunity(env(), { categories: ["Internet", "Billing"], members: { member: 3 } });
    const { slug, members, categories, admin } = built;
    const [asker, other, third] = members.member;
    const [internet, billing] = categories;
    await env().deps.db.updateTable("categories").set({ scope: "private" }).where("id", "=", billing.id).execute();
    const merge = async (source: number, target: number) => {
      const merged = await env().api.post(`/api/v1/topics/${source}/merge`, { intoTopicId: target }, admin.auth);
      assert.equal(merged.status, 200, `${source} into ${target}: ${JSON.stringify(merged.body)}`);
    };
    const target = await buildTopic(env(), slug, asker, { title: "Router restarts at 2 am", categoryId: internet.id });
    const source = await buildTopic(env(), slug, other, {
      title: "Router reboots every night",
      categoryId: internet.id,
    });
    const again = await buildTopic(env(), slug, third, { title: "Router reboots each night", categoryId: internet.id });
    await merge(again.id, source.id);
    await merge(source.id, target.id);
    for (const old of [source.id, again.id]) {
      const moved = await fetchPath(env(), `/c/${slug}/feeds/topics/${old}`);
      assert.equal(moved.status, 301, `topic ${old}`);
      assert.equal(moved.headers.location, `/c/${slug}/feeds/topics/${target.id}`);
    }
    await feed(env(), `/c/${slug}/feeds/topics/${target.id}`);

    const bill = await buildTopic(env(), slug, asker, {
      title: "Charged twice this month",
      categoryId: billing.id,
    });
    const copy = await buildTopic(env(), slug, third, {
      title: "Charged two times this month",
      categoryId: internet.id,
    });
    await merge(copy.id, bill.id);
    assert.equal(
      (await fetchPath(env(), `/c/${slug}/feeds/topics/${copy.id}`)).status,
      404,
      "not into a private topic",
    );
  });

  test("a private community has no feeds", async () => {
    const closed = await buildCommunity(env(), { visibility: "private" });
    const topic = await buildTopic(env(), closed.slug, closed.admin);
    for (const url of [`/c/${closed.slug}/feeds/latest`, `/c/${closed.slug}/feeds/topics/${topic.id}`])
      assert.equal((await fetchPath(env(), url)).status, 404, url);
  });

  test("conditional GET: 304 while nothing changed, by ETag or by date; 200 with the new entry after a change", async () => {
    const { slug, members } = await world(env());
    const url = `/c/${slug}/feeds/latest`;
    const { res } = await feed(env(), url);
    const etag = String(res.headers.etag);
    const lastModified = String(res.headers["last-modified"]);
    assert.match(etag, /^"[\w-]+"$/);
    assert.match(String(res.headers["cache-control"]), /^public/);
    const byTag = await fetchPath(env(), url, { "if-none-match": etag });
    assert.equal(byTag.status, 304);
    assert.equal(byTag.body, "");
    assert.equal((await fetchPath(env(), url, { "if-modified-since": lastModified })).status, 304);
    env().clock.advance(3_600_000);
    await buildTopic(env(), slug, members.member[0], { title: "A brand new question" });
    const changed = await fetchPath(env(), url, { "if-none-match": etag });
    assert.equal(changed.status, 200);
    assert.equal(entries(parseXml(changed.body))[0].title, "A brand new question");
    assert.equal((await fetchPath(env(), url, { "if-modified-since": lastModified })).status, 200);
  });
});
