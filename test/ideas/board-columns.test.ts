import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/core/config.ts";
import { buildCommunity, buildTopic, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";

const roomyLimits = { rateLimits: { ...loadConfig({}).rateLimits, post: { max: 100_000, windowMs: 60_000 } } };

const idea = (env: TestEnv, slug: string, author: TestUser, title: string, props: Record<string, unknown> = {}) =>
  buildTopic(env, slug, author, { kind: "idea", title, ...props });

const setStatus = (env: TestEnv, topicId: number, user: TestUser, status: string) =>
  env.api.put(`/api/v1/topics/${topicId}/idea-status`, { status }, user.auth);

const setScore = (env: TestEnv, topicId: number, score: number) =>
  env.deps.db.updateTable("topics").set({ score }).where("id", "=", topicId).execute();

/** The HTML of one status's column on the board page. */
function column(body: string, status: string): string {
  const start = body.indexOf(`<section class="idea-column" aria-labelledby="ideas-${status}">`);
  assert.ok(start >= 0, `a column for ${status}`);
  return body.slice(start, body.indexOf("</section>", start));
}

describeEachDatabase(
  "ideas board: every status column shows its ideas",
  (env) => {
    test("the limit applies to each status: an idea with fewer votes still shows in its column", async () => {
      const { slug, members, categories } = await buildCommunity(env(), {
        members: { member: 1, staff: 1 },
        categories: ["Mobile"],
      });
      const [author] = members.member;
      const loved = await idea(env(), slug, author, "Family data sharing", { categoryId: categories[0].id });
      const shipped = await idea(env(), slug, author, "eSIM for smart watches", { categoryId: categories[0].id });
      await setScore(env(), loved.id, 5);
      assert.equal((await setStatus(env(), shipped.id, members.staff[0], "done")).status, 200);

      const api = await env().api.get(`/api/v1/communities/${slug}/ideas?limit=1`);
      assert.equal(api.status, 200);
      assert.deepEqual(
        api.body.items.map((i: any) => [i.id, i.ideaStatus]),
        [
          [loved.id, "new"],
          [shipped.id, "done"],
        ],
        "one of each status, in board order",
      );
      const onlyDone = await env().api.get(`/api/v1/communities/${slug}/ideas?status=done&limit=1`);
      assert.deepEqual(
        onlyDone.body.items.map((i: any) => i.id),
        [shipped.id],
      );

      const page = await getPage(env(), `/c/${slug}/ideas?limit=1&category=${categories[0].slug}`);
      assert.equal(page.status, 200);
      const done = column(page.body, "done");
      assert.match(done, /\(1\)/);
      assert.match(done, /eSIM for smart watches/);
      assert.doesNotMatch(done, /No ideas here yet\./);
      assert.match(column(page.body, "new"), /Family data sharing/);
      assert.doesNotMatch(page.body, /class="idea-more"/, "every column shows all it counts");
    });

    test("a column holding more than it shows links to the board of its status, in the reader's language", async () => {
      const { slug, members, categories } = await buildCommunity(env(), {
        members: { member: 1 },
        categories: ["Mobile"],
      });
      const mobile = categories[0];
      const titles = ["Family data sharing", "Dark mode for the TV guide", "eSIM for smart watches"];
      for (const title of titles) await idea(env(), slug, members.member[0], title, { categoryId: mobile.id });

      const page = await getPage(env(), `/c/${slug}/ideas?limit=2&category=${mobile.slug}&sort=recent`);
      const fresh = column(page.body, "new");
      assert.equal([...fresh.matchAll(/class="idea-card"/g)].length, 2);
      const href = `/c/${slug}/ideas?status=new&amp;category=${mobile.slug}&amp;sort=recent`;
      assert.ok(fresh.includes(`<p class="idea-more"><a href="${href}">Show all 3</a></p>`), fresh);
      assert.doesNotMatch(column(page.body, "done"), /idea-more/, "an empty column has nothing more");

      const all = await getPage(env(), href.replaceAll("&amp;", "&"));
      assert.equal(all.status, 200);
      for (const title of titles) assert.match(all.body, new RegExp(title));
      assert.doesNotMatch(all.body, /idea-more/);

      const german = await getPage(env(), `/c/${slug}/ideas?limit=1`, null, { "accept-language": "de" });
      assert.match(column(german.body, "new"), /Alle 3 anzeigen/);
    });

    test("one status's board pages through all its ideas, in the reader's language", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
      const ids = [];
      for (let i = 0; i < 5; i++) {
        const made = await idea(env(), slug, members.member[0], `Paged idea number ${i}`);
        await setScore(env(), made.id, 10 - i);
        ids.push(made.id);
      }
      const api = async (query: string) =>
        (await env().api.get(`/api/v1/communities/${slug}/ideas?status=new&limit=2&${query}`)).body.items.map(
          (i: any) => i.id,
        );
      assert.deepEqual(await api("offset=0"), ids.slice(0, 2));
      assert.deepEqual(await api("offset=2"), ids.slice(2, 4));
      assert.deepEqual(await api("offset=4"), ids.slice(4));
      assert.deepEqual(await api("offset=5"), []);
      const bad = await env().api.get(`/api/v1/communities/${slug}/ideas?offset=-1`);
      assert.equal(bad.status, 422);
      assert.ok(bad.body.error.fields.offset);

      const first = column((await getPage(env(), `/c/${slug}/ideas?status=new&limit=2`)).body, "new");
      assert.match(first, /Ideas 1 to 2 of 5/);
      assert.match(first, new RegExp(`<a href="/c/${slug}/ideas\\?status=new&amp;limit=2&amp;offset=2" rel="next">`));
      assert.doesNotMatch(first, /rel="prev"/);
      assert.doesNotMatch(first, /Paged idea number 2/);
      const last = column((await getPage(env(), `/c/${slug}/ideas?status=new&limit=2&offset=4`)).body, "new");
      assert.match(last, /Paged idea number 4/);
      assert.doesNotMatch(last, /Paged idea number [0-3]/);
      assert.match(last, /Ideas 5 to 5 of 5/);
      assert.match(last, new RegExp(`<a href="/c/${slug}/ideas\\?status=new&amp;limit=2&amp;offset=2" rel="prev">`));
      assert.doesNotMatch(last, /rel="next"/);
      const german = await getPage(env(), `/c/${slug}/ideas?status=new&limit=2&offset=2`, null, {
        "accept-language": "de",
      });
      assert.match(column(german.body, "new"), /Ideen 3 bis 4 von 5/);
      assert.match(column(german.body, "new"), /Vorherige Ideen/);
      assert.match(column(german.body, "new"), /Weitere Ideen/);
    });

    test("with more than a page of popular ideas, the done column still shows its idea and the new one links on", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { staff: 1 } });
      const popular = [];
      // An hour apart: the community's topics-per-hour screening lets each through.
      for (let i = 0; i < 101; i++) {
        popular.push(await idea(env(), slug, admin, `Popular idea number ${i}`));
        env().clock.advance(3_600_001);
      }
      await env()
        .deps.db.updateTable("topics")
        .set({ score: 5 })
        .where(
          "id",
          "in",
          popular.map((t) => t.id),
        )
        .execute();
      const shipped = await idea(env(), slug, admin, "Quietly shipped");
      assert.equal((await setStatus(env(), shipped.id, members.staff[0], "done")).status, 200);

      const api = (await env().api.get(`/api/v1/communities/${slug}/ideas`)).body;
      assert.deepEqual(api.counts, { new: 101, under_review: 0, planned: 0, in_progress: 0, done: 1, declined: 0 });
      assert.equal(api.items.length, 101, "100 new ideas and the done one");
      assert.equal(api.items.at(-1).id, shipped.id);

      const page = await getPage(env(), `/c/${slug}/ideas`);
      assert.match(column(page.body, "done"), /Quietly shipped/);
      assert.match(
        column(page.body, "new"),
        new RegExp(`<a href="/c/${slug}/ideas\\?status=new&amp;limit=200">Show all 101</a>`),
      );
      const all = (await env().api.get(`/api/v1/communities/${slug}/ideas?status=new&limit=200`)).body;
      assert.equal(all.items.length, 101);
    });
  },
  roomyLimits,
);
