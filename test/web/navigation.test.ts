import { test } from "node:test";
import assert from "node:assert/strict";
import { addMember, buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { viewCountsOf } from "../../src/topics/topics.viewcount.ts";
import { getPage } from "./web-helpers.ts";

/** The tabs of the community bar, as [label, current]. */
function tabs(body: string): [string, boolean][] {
  const nav = /<nav class="community-tabs"[^>]*>([\s\S]*?)<\/nav>/.exec(body)?.[1] ?? "";
  return [...nav.matchAll(/<a href="[^"]*"( aria-current="page")?>([^<]*)<\/a>/g)].map((m) => [m[2], Boolean(m[1])]);
}

/** The links of the Manage menu, as paths; empty without the menu. */
function manageLinks(body: string): string[] {
  const menu = /<details class="manage-menu">([\s\S]*?)<\/details>/.exec(body)?.[1] ?? "";
  return [...menu.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
}

describeEachDatabase("community navigation, topic lists and categories", (env) => {
  test("an address that spells the community's slug in capitals has its bar too, with lower-case links", async () => {
    const { slug } = await buildCommunity(env());
    const res = await getPage(env(), `/c/${slug.toUpperCase()}/kb`);
    assert.equal(res.status, 200);
    assert.equal(tabs(res.body).find(([, current]) => current)?.[0], "Knowledge base");
    assert.match(res.body, new RegExp(`<nav class="community-tabs"[^>]*>[^]*?href="/c/${slug}/kb"`));
  });

  test("every community page has the same tab bar with its section marked; error pages have none", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    const labels = ["Topics", "Ideas", "Knowledge base", "Service friends", "Academy", "Leaderboard"];
    for (const [path, current] of [
      ["", "Topics"],
      [`/t/${topic.id}`, "Topics"],
      ["/categories", "Topics"],
      ["/ideas", "Ideas"],
      ["/kb", "Knowledge base"],
      ["/service-friends", "Service friends"],
      ["/academy", "Academy"],
      ["/leaderboard", "Leaderboard"],
      ["/rewards", "Leaderboard"],
    ]) {
      let res = await getPage(env(), `/c/${slug}${path}`);
      if (res.status === 301) res = await getPage(env(), String(res.headers.location));
      assert.equal(res.status, 200, path);
      assert.deepEqual(
        tabs(res.body),
        labels.map((label) => [label, label === current]),
        path,
      );
    }
    const german = await getPage(env(), `/c/${slug}`, null, { "accept-language": "de" });
    assert.deepEqual(
      tabs(german.body).map(([label]) => label),
      ["Themen", "Ideen", "Wissensdatenbank", "Service-Freunde", "Akademie", "Bestenliste"],
    );
    const missing = await getPage(env(), "/c/no-such-community");
    assert.equal(missing.status, 404);
    assert.equal(tabs(missing.body).length, 0);
  });

  test("the Manage menu holds the pages each role may use, and nothing for members and visitors", async () => {
    const { slug, admin, members } = await buildCommunity(env(), {
      members: { member: 1, moderator: 1, staff: 1 },
    });
    const base = `/c/${slug}`;
    const list = async (user: Parameters<typeof getPage>[2]) => manageLinks((await getPage(env(), base, user)).body);
    assert.deepEqual(await list(null), []);
    assert.deepEqual(await list(members.member[0]), []);
    assert.deepEqual(await list(members.moderator[0]), [
      `${base}/review-queue`,
      `${base}/insights`,
      `${base}/service-friends/staff`,
      `${base}/kb/new`,
    ]);
    // A topic page's bar uses the access its render loaded: the same menu, and none for a member.
    const topic = await buildTopic(env(), slug, members.member[0]);
    const onTopic = async (user: Parameters<typeof getPage>[2]) =>
      manageLinks((await getPage(env(), topic.url, user)).body);
    assert.deepEqual(await onTopic(members.moderator[0]), await list(members.moderator[0]));
    assert.deepEqual(await onTopic(members.member[0]), []);
    const staff = await list(members.staff[0]);
    for (const path of ["/staff", "/insights", "/service-friends/staff", "/kb/new", "/academy/new"])
      assert.ok(staff.includes(base + path), path);
    assert.ok(!staff.includes(`${base}/settings`) && !staff.includes(`${base}/members`), "no admin pages for staff");
    const admins = await list(admin);
    for (const path of ["/review-queue", "/audit", "/staff", "/members", "/settings", "/admin/support", "/insights"])
      assert.ok(admins.includes(base + path), path);
    assert.ok(!admins.includes("/admin/emails"), "outgoing email is for platform admins");
    const platform = await buildUser(env(), { platformAdmin: true });
    assert.ok((await list(platform)).includes("/admin/emails"));
    // Every link of the menu opens for the admin (the routes check the same privileges).
    for (const href of admins) {
      const res = await getPage(env(), href.split("#")[0], admin);
      assert.equal(res.status, 200, href);
    }
    // The old buttons are gone from the list's head.
    const page = await getPage(env(), base, admin);
    const head = /<div class="head-actions">([\s\S]*?)<\/div>/.exec(page.body)?.[1] ?? "";
    assert.doesNotMatch(head, /Staff queue|Support settings|Members|Questions for you/);
    assert.match(head, /New topic/);
  });

  test("views are counted in memory, written in one statement by a flush, never during an anonymous read", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [a, b] = [
      await buildTopic(env(), slug, members.member[0], { title: "Router blinks red after the update" }),
      await buildTopic(env(), slug, members.member[0], { title: "TV box loses the picture at night" }),
    ];
    const counts = viewCountsOf(env().deps);
    await counts.flush(env().deps);
    const pageA = String((await getPage(env(), `/c/${slug}/t/${a.id}`)).headers.location);
    const pageB = String((await getPage(env(), `/c/${slug}/t/${b.id}`)).headers.location);
    const commits: string[][] = [];
    const stop = env().deps.writes!.watch((tables) => {
      commits.push([...tables]);
      return undefined;
    });
    try {
      const sources: unknown[] = [];
      for (let i = 0; i < 5; i++) sources.push((await getPage(env(), pageA)).headers["x-page-cache"]);
      sources.push((await getPage(env(), pageB)).headers["x-page-cache"]);
      sources.push((await getPage(env(), pageB, members.member[0])).headers["x-page-cache"]);
      assert.ok(sources.includes("hit"), "some views came from the page cache and were counted too");
      // A redirect and a page that does not exist are not views.
      assert.equal((await getPage(env(), `/c/${slug}/t/${a.id}`)).status, 301);
      assert.equal((await getPage(env(), `/c/${slug}/t/99999999/nothing`)).status, 404);
      assert.deepEqual(commits, [], "reading wrote nothing");
      assert.equal(counts.pendingViews, 7);

      assert.equal(await counts.flush(env().deps), 2);
      assert.deepEqual(commits, [["topic_views"]], "seven views of two topics: one write");
      assert.equal(counts.pendingViews, 0);
      assert.equal(await counts.flush(env().deps), 0);
      assert.equal(commits.length, 1, "nothing to flush: no write");
    } finally {
      stop();
    }
    const stored = await env()
      .deps.db.selectFrom("topicViews")
      .select(["topicId", "viewCount"])
      .where("topicId", "in", [a.id, b.id])
      .orderBy("topicId")
      .execute();
    assert.deepEqual(
      stored.map((r) => [r.topicId, Number(r.viewCount)]),
      [
        [a.id, 5],
        [b.id, 2],
      ],
    );
    // The next flush adds to what is stored; the list and the API show the sums.
    await getPage(env(), pageA);
    await counts.flush(env().deps);
    const list = await getPage(env(), `/c/${slug}`, members.member[0]);
    assert.match(list.body, /6 views/);
    assert.match(list.body, /2 views/);
    const api = await env().api.get(`/api/v1/communities/${slug}/topics`);
    assert.equal(api.body.topics.find((t: { id: number }) => t.id === a.id).viewCount, 6);
  });

  test("the list shows each topic's excerpt and its last published reply's author, from one query", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, first, second] = members.member;
    const long = `My router ${"keeps dropping the connection every few minutes ".repeat(8)}and I do not know why.`;
    const topic = await buildTopic(env(), slug, asker, { title: "Connection drops every few minutes", body: long });
    const quiet = await buildTopic(env(), slug, asker, {
      title: "Nobody answered this yet",
      body: "Plain *question*.",
    });
    await buildReply(env(), topic.id, first, "Try another channel.");
    env().clock.advance(60_000);
    const last = await buildReply(env(), topic.id, second, "Update the firmware first.");
    const body = (await getPage(env(), `/c/${slug}`)).body;
    const row = (title: string) => body.split('<li class="topic-row">').find((r) => r.includes(title)) ?? "";
    const busy = row("Connection drops every few minutes");
    assert.match(busy, /<p class="last-reply">last reply by <a class="author" href="\/c\/[^/]+\/u\/(\d+)">/);
    assert.match(busy, new RegExp(`href="/c/${slug}/u/${second.id}">[\\s\\S]*${second.name}</a>, <time`));
    assert.match(busy, /<p class="excerpt">My router keeps dropping[^<]*…<\/p>/);
    assert.ok((/<p class="excerpt">([^<]*)<\/p>/.exec(busy)?.[1] ?? "").length <= 161, "the excerpt is short");
    const none = row("Nobody answered this yet");
    assert.match(none, /<p class="excerpt">Plain question\.<\/p>/);
    assert.doesNotMatch(none, /last-reply/);
    // A hidden reply is not the last reply shown.
    await env().deps.db.updateTable("replies").set({ moderationState: "hidden" }).where("id", "=", last.id).execute();
    const after = (await getPage(env(), `/c/${slug}`, members.moderator[0])).body;
    const again = after.split('<li class="topic-row">').find((r) => r.includes("Connection drops")) ?? "";
    assert.match(again, new RegExp(`last reply by <a class="author" href="/c/${slug}/u/${first.id}">`));
    assert.ok(community.id > 0 && quiet.id > 0);
  });

  test("the categories page describes each category with its counts, hiding what the viewer may not see", async () => {
    const { slug, community, admin, categories, members } = await buildCommunity(env(), {
      categories: ["Internet", "TV", "Insiders", "Billing"],
      members: { member: 2, moderator: 1 },
    });
    const [internet, tv, insiders, billing] = categories;
    const db = env().deps.db;
    await db
      .updateTable("categories")
      .set({ description: "Routers, Wi-Fi and fibre." })
      .where("id", "=", internet.id)
      .execute();
    await db.updateTable("categories").set({ championsOnly: 1 }).where("id", "=", insiders.id).execute();
    await db.updateTable("categories").set({ scope: "private" }).where("id", "=", billing.id).execute();
    const [asker, helper] = members.member;
    const solved = await buildTopic(env(), slug, asker, { categoryId: internet.id, title: "Router blinks red" });
    await buildTopic(env(), slug, asker, { categoryId: internet.id, title: "Wi-Fi is slow upstairs" });
    const reply = await buildReply(env(), solved.id, helper);
    assert.equal(
      (await env().api.post(`/api/v1/topics/${solved.id}/accept`, { replyId: reply.id }, asker.auth)).status,
      200,
    );
    await buildTopic(env(), slug, members.moderator[0], { categoryId: insiders.id, title: "Beta firmware notes" });
    await buildTopic(env(), slug, asker, { categoryId: billing.id, title: "My invoice shows my address" });

    const card = (body: string, name: string) =>
      body.split('<li class="card category-card">').find((c) => c.includes(`>${name}</a>`)) ?? "";
    const anonymous = await getPage(env(), `/c/${slug}/categories`);
    assert.equal(anonymous.status, 200);
    assert.match(anonymous.body, /<h1>Categories<\/h1>/);
    assert.match(
      card(anonymous.body, "Internet"),
      /Routers, Wi-Fi and fibre\.[\s\S]*2 topics<\/span> · <span>1 solved/,
    );
    assert.match(card(anonymous.body, "TV"), /0 topics<\/span> · <span>0 solved/);
    assert.match(card(anonymous.body, "Billing"), /0 topics/, "private questions are not counted for others");
    assert.doesNotMatch(anonymous.body, /Insiders/, "champions-only categories are hidden from visitors");
    assert.match(anonymous.body, new RegExp(`href="/c/${slug}\\?category=internet"`));
    assert.doesNotMatch((await getPage(env(), `/c/${slug}/categories`, helper)).body, /Insiders/);

    const mod = (await getPage(env(), `/c/${slug}/categories`, members.moderator[0])).body;
    assert.match(card(mod, "Insiders"), /Champions only[\s\S]*1 topic<\/span>/);
    assert.match(card((await getPage(env(), `/c/${slug}/categories`, asker)).body, "Billing"), /1 topic<\/span>/);
    assert.match(card((await getPage(env(), `/c/${slug}/categories`, admin)).body, "Billing"), /1 topic<\/span>/);
    // The list links the overview; French readers get it in French.
    assert.match((await getPage(env(), `/c/${slug}`)).body, new RegExp(`href="/c/${slug}/categories">All categories`));
    const fr = await getPage(env(), `/c/${slug}/categories`, null, { "accept-language": "fr" });
    assert.match(fr.body, /<h1>Catégories<\/h1>/);
    // A private community's overview is not found for visitors.
    await db.updateTable("communities").set({ visibility: "private" }).where("id", "=", community.id).execute();
    assert.equal((await getPage(env(), `/c/${slug}/categories?fresh=1`)).status, 404);
    assert.ok(tv.id > 0);
  });

  test("a member added later sees the Manage menu only once given a role", async () => {
    const { slug, community } = await buildCommunity(env());
    const user = await buildUser(env());
    await addMember(env(), community.id, user.id, "member");
    assert.deepEqual(manageLinks((await getPage(env(), `/c/${slug}`, user)).body), []);
    await addMember(env(), community.id, user.id, "moderator");
    assert.ok(manageLinks((await getPage(env(), `/c/${slug}`, user)).body).includes(`/c/${slug}/review-queue`));
  });
});
