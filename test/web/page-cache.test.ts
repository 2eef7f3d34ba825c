import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { buildCommunity, buildReply, buildTopic, createTestEnv, describeEachDatabase } from "../helpers.ts";
import { openDatabase } from "../../src/db/database.ts";
import { buildApp } from "../../src/app/app.ts";
import type { Deps } from "../../src/core/deps.ts";
import { topicTag } from "../../src/core/page-cache.ts";
import { anonymous, assertCached, canonical, fresh } from "./page-cache-support.ts";
import { getPage } from "./web-helpers.ts";

describeEachDatabase("anonymous page cache", (env) => {
  async function community() {
    const built = await buildCommunity(env(), {
      categories: ["Internet", "Billing"],
      members: { member: 2, moderator: 1 },
    });
    const [asker, helper] = built.members.member;
    const mod = built.members.moderator[0];
    const topic = await buildTopic(env(), built.slug, asker, {
      title: "Router blinks red after the update",
      categoryId: built.categories[0].id,
    });
    const reply = await buildReply(env(), topic.id, helper, "Unplug it for thirty seconds.");
    const list = `/c/${built.slug}`;
    const page = await canonical(env(), topic.url);
    return { ...built, asker, helper, mod, topic, reply, list, page };
  }

  test("a hit answers with the same page, its ETag, 304 on revalidation and the compressed bytes", async () => {
    const { page } = await community();
    const first = await anonymous(env(), page);
    assert.equal(first.headers["x-page-cache"], "miss");
    const hit = await anonymous(env(), page);
    assert.equal(hit.headers["x-page-cache"], "hit");
    assert.equal(hit.body, first.body);
    assert.equal(hit.headers.etag, first.headers.etag);
    assert.equal(hit.headers["cache-control"], "public, max-age=0, must-revalidate");
    assert.equal(hit.headers["set-cookie"], undefined);

    const revalidated = await anonymous(env(), page, { "if-none-match": String(hit.headers.etag) });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.body, "");

    for (const [accept, decode] of [
      ["br", zlib.brotliDecompressSync],
      ["gzip, deflate", zlib.gunzipSync],
    ] as const) {
      const res = await env().app.inject({ method: "GET", url: page, headers: { "accept-encoding": accept } });
      assert.equal(res.headers["content-encoding"], accept.split(",")[0]);
      assert.equal(decode(res.rawPayload).toString(), first.body);
      assert.match(String(res.headers.vary), /Accept-Encoding/);
      // The compressed page's ETag still revalidates.
      const again = await env().app.inject({
        method: "GET",
        url: page,
        headers: { "accept-encoding": accept, "if-none-match": String(res.headers.etag) },
      });
      assert.equal(again.statusCode, 304);
    }
    const german = await anonymous(env(), page, { "accept-language": "de-CH" });
    assert.equal(german.headers["x-page-cache"], "miss", "each language is a page of its own");
    assert.match(german.body, /<html lang="de">/);
  });

  test("static assets are served precompressed, brotli or gzip as the client accepts", async () => {
    const home = await anonymous(env(), "/");
    const css: string = /\/assets\/app\.[0-9a-f]+\.css/.exec(home.body)?.[0] ?? "";
    assert.ok(css, "the page links its stylesheet");
    const plain = await env().app.inject({ method: "GET", url: css });
    assert.equal(plain.headers["content-encoding"], undefined);
    for (const [accept, decode] of [
      ["gzip, br;q=0.5", zlib.brotliDecompressSync],
      ["gzip, br;q=0", zlib.gunzipSync],
    ] as const) {
      const res = await env().app.inject({ method: "GET", url: css, headers: { "accept-encoding": accept } });
      assert.equal(res.headers["content-encoding"], accept.includes("q=0.5") ? "br" : "gzip");
      assert.ok(res.rawPayload.length < plain.rawPayload.length / 3);
      assert.equal(decode(res.rawPayload).toString(), plain.body);
      assert.equal(res.headers.vary, "Accept-Encoding");
    }
  });

  test("a member's page is never kept, and a member never gets the anonymous one", async () => {
    const { page, helper } = await community();
    const own = await getPage(env(), page, helper);
    assert.equal(own.headers["x-page-cache"], undefined);
    assert.match(String(own.headers["cache-control"]), /private/);
    assert.ok(own.body.includes(helper.email));
    const first = await anonymous(env(), page);
    assert.equal(first.headers["x-page-cache"], "miss");
    assert.ok(!first.body.includes(helper.email));
    await assertCached(env(), page);
    const again = await getPage(env(), page, helper);
    assert.equal(again.headers["x-page-cache"], undefined);
    assert.ok(again.body.includes(helper.email));
  });

  test("a reply invalidates its topic and the community's lists, nothing else", async () => {
    const { slug, list, page, topic, asker, helper } = await community();
    const other = await buildTopic(env(), slug, asker, { title: "Television has no sound" });
    const otherPage = await canonical(env(), other.url);
    const elsewhere = await community();
    for (const url of [list, page, otherPage, elsewhere.page, elsewhere.list]) await assertCached(env(), url);

    await buildReply(env(), topic.id, helper, "Check the firmware version first.");
    assert.match((await fresh(env(), page)).body, /Check the firmware version first/);
    await fresh(env(), list);
    for (const url of [otherPage, elsewhere.page, elsewhere.list]) {
      assert.equal((await anonymous(env(), url)).headers["x-page-cache"], "hit", `${url} did not change`);
    }
  });

  test("an edit, a vote and an accepted solution each show on the next anonymous view", async () => {
    const { list, page: firstPage, topic, reply, asker, helper } = await community();
    await assertCached(env(), firstPage);
    const edited = await env().api.patch(
      `/api/v1/topics/${topic.id}`,
      { title: "Router blinks red (solved?)" },
      asker.auth,
    );
    assert.equal(edited.status, 200);
    // The title is in the canonical address: the old one now sends visitors on.
    assert.equal((await anonymous(env(), firstPage)).status, 301);
    const page = await canonical(env(), edited.body.topic.url);
    assert.match((await fresh(env(), page)).body, /Router blinks red \(solved\?\)/);

    await assertCached(env(), page);
    assert.equal(
      (await env().api.patch(`/api/v1/replies/${reply.id}`, { body: "Unplug it for a full minute." }, helper.auth))
        .status,
      200,
    );
    assert.match((await fresh(env(), page)).body, /Unplug it for a full minute/);

    await assertCached(env(), page);
    await assertCached(env(), list);
    assert.equal((await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, asker.auth)).status, 200);
    assert.match((await fresh(env(), page)).body, /<span data-score aria-live="polite">1<\/span>/);
    await fresh(env(), list);

    await assertCached(env(), page);
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth)).status,
      200,
    );
    assert.match((await fresh(env(), page)).body, /Accepted solution/);
  });

  test("hiding, moving and merging show on the next anonymous view", async () => {
    const { slug, list, page, topic, reply, asker, mod, categories } = await community();
    await assertCached(env(), page);
    assert.equal(
      (await env().api.post(`/api/v1/posts/reply/${reply.id}/hide`, { reason: "Advertising" }, mod.auth)).status,
      200,
    );
    assert.doesNotMatch((await fresh(env(), page)).body, /Unplug it for thirty seconds/);

    await assertCached(env(), page);
    await assertCached(env(), `${list}?category=${categories[1].slug}`);
    const moved = await env().api.post(`/api/v1/topics/${topic.id}/move`, { categoryId: categories[1].id }, mod.auth);
    assert.equal(moved.status, 200);
    assert.match((await fresh(env(), page)).body, /Billing/);
    assert.match(
      (await fresh(env(), `${list}?category=${categories[1].slug}`)).body,
      /Router blinks red after the update/,
    );

    const target = await buildTopic(env(), slug, asker, { title: "Router red light, the original" });
    const targetPage = await canonical(env(), target.url);
    await buildReply(env(), topic.id, asker, "Moved along with its topic.");
    await assertCached(env(), targetPage);
    await assertCached(env(), page);
    const merged = await env().api.post(`/api/v1/topics/${topic.id}/merge`, { intoTopicId: target.id }, mod.auth);
    assert.equal(merged.status, 200);
    assert.match((await fresh(env(), targetPage)).body, /Moved along with its topic/);
    assert.notEqual((await anonymous(env(), page)).headers["x-page-cache"], "hit");
  });

  test("a duplicate's page follows its original: retitled, then hidden", async () => {
    const { slug, page, topic, asker, mod } = await community();
    const duplicate = await buildTopic(env(), slug, asker, { title: "Red blinking router again" });
    const marked = await env().api.post(`/api/v1/topics/${duplicate.id}/duplicate`, { of: topic.id }, mod.auth);
    assert.equal(marked.status, 200);
    const duplicatePage = await canonical(env(), duplicate.url);
    assert.match((await assertCached(env(), duplicatePage)).body, /Router blinks red after the update/);
    await assertCached(env(), page);
    const retitled = await env().api.patch(
      `/api/v1/topics/${topic.id}`,
      { title: "Router blinks red after the firmware update" },
      asker.auth,
    );
    assert.equal(retitled.status, 200);
    assert.match((await fresh(env(), duplicatePage)).body, /Router blinks red after the firmware update/);
    await assertCached(env(), duplicatePage);
    const hidden = await env().api.post(`/api/v1/posts/topic/${topic.id}/hide`, { reason: "Spam" }, mod.auth);
    assert.equal(hidden.status, 200);
    assert.doesNotMatch((await fresh(env(), duplicatePage)).body, /Router blinks red after the firmware update/);
  });

  test("a category made private and a community made private hide their pages at once", async () => {
    const { slug, admin, list, page, categories, community: c } = await community();
    await assertCached(env(), page);
    await assertCached(env(), list);
    const scoped = await env().api.patch(
      `/api/v1/communities/${slug}/categories/${categories[0].id}`,
      { scope: "private" },
      admin.auth,
    );
    assert.equal(scoped.status, 200);
    assert.equal((await anonymous(env(), page)).status, 404);
    assert.doesNotMatch((await fresh(env(), list)).body, /Router blinks red after the update/);

    const other = await community();
    await assertCached(env(), other.page);
    await assertCached(env(), other.list);
    // No route makes a community private yet; an administrator's script writes the row.
    await env()
      .deps.db.updateTable("communities")
      .set({ visibility: "private" })
      .where("id", "=", other.community.id)
      .execute();
    assert.equal((await anonymous(env(), other.page)).status, 404);
    assert.equal((await anonymous(env(), other.list)).status, 404);
    assert.ok(c.id !== other.community.id);
  });

  test("a member's suspension changes the pages of the community", async () => {
    const { slug, page, helper, mod } = await community();
    const before = await assertCached(env(), page);
    const suspended = await env().api.put(
      `/api/v1/communities/${slug}/members/${helper.id}/suspension`,
      { days: 3, reason: "Repeated insults" },
      mod.auth,
    );
    assert.equal(suspended.status, 200);
    const after = await fresh(env(), page);
    assert.match(after.body, /class="suspended"/);
    assert.doesNotMatch(before.body, /class="suspended"/);
  });

  test("a page whose data changed while it rendered is answered but not kept", async () => {
    const { page, topic, helper } = await community();
    const cache = env().deps.pageCache;
    assert.ok(cache);
    const mark = cache.mark();
    await buildReply(env(), topic.id, helper, "Posted while another visitor's page rendered.");
    const stale = cache.store(
      `en ${page}`,
      Buffer.from("old"),
      { communityId: 0, topicId: topic.id },
      mark,
      env().clock.now(),
    );
    assert.equal(cache.lookup(stale.key, env().clock.now()), undefined);
  });

  test("anonymous reading writes nothing to the database", async () => {
    const { slug, page, list, topic, asker, helper } = await community();
    const writes: string[] = [];
    const stop = env().deps.writes?.watch((tables) => {
      writes.push(...tables);
      return undefined;
    });
    assert.ok(stop, "the test environment watches writes");
    try {
      for (const url of [
        "/",
        list,
        `${list}?status=open`,
        page,
        page,
        `/c/${slug}/search?q=router`,
        `/c/${slug}/kb`,
        `/c/${slug}/leaderboard`,
        `/c/${slug}/u/${asker.id}`,
        `/api/v1/topics/${topic.id}`,
        `/api/v1/communities/${slug}/topics`,
        `/api/v1/communities/${slug}/search?q=router`,
        `/api/v1/communities/${slug}/similar?title=router+blinks+red`,
      ]) {
        const res = await anonymous(env(), url, { "accept-encoding": "br" });
        assert.equal(res.status, 200, url);
      }
      assert.equal(writes.length, 0, `anonymous reads wrote to ${writes.join(", ")}`);
      // The watch does see writes: a member's vote is some.
      assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/vote`, { value: 1 }, helper.auth)).status, 200);
      assert.ok(writes.includes("votes"));
    } finally {
      stop();
    }
  });
});

const postgresUrl = process.env.TEST_DATABASE_URL;
if (postgresUrl) {
  test("two instances on PostgreSQL: a reply posted on one shows on the other's next anonymous view", async () => {
    const a = await createTestEnv({ name: "postgres", url: postgresUrl });
    // A second instance on the same database and schema, with its own pool, cache and listener.
    const handle = await openDatabase({ ...a.deps.config, sqliteFile: ":memory:" });
    const depsB: Deps = {
      db: handle.db,
      dialect: handle.dialect,
      writes: handle.writes,
      config: a.deps.config,
      clock: a.clock,
    };
    const appB = await buildApp(depsB);
    const b = { ...a, deps: depsB, app: appB };
    try {
      const { slug, members } = await buildCommunity(a, { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(a, slug, asker, { title: "Router blinks red on the second instance" });
      const page = await canonical(a, topic.url);
      const before = await assertCached(b, page);
      assert.doesNotMatch(before.body, /Posted on instance A/);

      // B learns of A's commit by NOTIFY alone: nothing else connects the two processes' caches.
      const cacheB = depsB.pageCache;
      assert.ok(cacheB);
      const invalidate = cacheB.invalidate.bind(cacheB);
      const heard = new Promise<void>((resolve) => {
        cacheB.invalidate = (tags) => {
          invalidate(tags);
          if ([...tags].includes(topicTag(topic.id))) resolve();
        };
      });
      await buildReply(a, topic.id, helper, "Posted on instance A.");
      await heard;
      const after = await fresh(b, page);
      assert.match(after.body, /Posted on instance A/);
      assert.equal((await anonymous(b, page)).headers["x-page-cache"], "hit");
    } finally {
      await appB.close();
      await handle.close();
      await a.close();
    }
  });
}
