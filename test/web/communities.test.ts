import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildUser, describeEachDatabase } from "../helpers.ts";
import { browse, getPage } from "./web-helpers.ts";

describeEachDatabase("web communities", (env) => {
  test("a platform admin creates a community from the front page", async () => {
    const admin = await buildUser(env(), { platformAdmin: true });
    const browser = await browse(env(), admin);
    const home = await browser.get("/");
    assert.match(home.body, /<h2 id="create-title">Create a community<\/h2>/);
    const invalid = await browser.submit("/communities/new", {
      name: "X",
      slug: "Not OK!",
      description: "",
      visibility: "public",
      locale: "en",
    });
    assert.equal(invalid.status, 422);
    assert.match(invalid.body, /id="slug-error">Use 1-40 lowercase letters, digits and dashes.</);
    const slug = `web-${Date.now().toString(36)}`;
    const created = await browser.submit("/communities/new", {
      name: "Web Community",
      slug,
      description: "Made in a test",
      visibility: "private",
      locale: "de",
    });
    assert.equal(created.status, 303);
    assert.equal(created.headers.location, `/c/${slug}`);
    const again = await browser.submit("/communities/new", {
      name: "Web Community",
      slug,
      description: "",
      visibility: "public",
      locale: "en",
    });
    assert.equal(again.status, 409);
    assert.match(again.body, /id="slug-error">This address is already taken.</);
    const member = await buildUser(env());
    const memberBrowser = await browse(env(), member);
    assert.equal(
      (
        await memberBrowser.submit("/communities/new", {
          name: "Nope",
          slug: "nope-web",
          visibility: "public",
          locale: "en",
        })
      ).status,
      403,
    );
  });

  test("joining a public community with the Join button", async () => {
    const { slug } = await buildCommunity(env());
    const user = await buildUser(env());
    const browser = await browse(env(), user);
    const joined = await browser.submit(`/c/${slug}/join`);
    assert.equal(joined.status, 303);
    assert.equal(joined.headers.location, `/c/${slug}`);
    const page = await browser.get(`/c/${slug}`);
    assert.doesNotMatch(page.body, /action="[^"]+\/join"/, "members see no Join button");
    const secret = await buildCommunity(env(), { visibility: "private" });
    assert.equal((await browser.submit(`/c/${secret.slug}/join`)).status, 404);
  });

  test("community admins set member roles; others may not", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    assert.equal((await getPage(env(), `/c/${slug}/members`, member)).status, 403);
    assert.equal((await getPage(env(), `/c/${slug}/members`)).status, 401);
    const browser = await browse(env(), admin);
    const list = await browser.get(`/c/${slug}/members`);
    assert.equal(list.status, 200);
    assert.match(
      list.body,
      new RegExp(`<label class="sr-only" for="role-${member.id}">Role of ${member.name}</label>`),
    );
    const saved = await browser.submit(`/c/${slug}/members/${member.id}`, { role: "staff" });
    assert.equal(saved.status, 303);
    const after = await browser.get(`/c/${slug}/members`);
    assert.match(
      after.body,
      new RegExp(`id="role-${member.id}" name="role">[\\s\\S]*?<option value="staff" selected>Staff</option>`),
    );
    const bad = await browser.submit(`/c/${slug}/members/${member.id}`, { role: "emperor" });
    assert.equal(bad.status, 422);
    assert.match(bad.body, /role="alert"[\s\S]*Choose one of the options./);
    const memberBrowser = await browse(env(), member);
    assert.equal((await memberBrowser.submit(`/c/${slug}/members/${admin.id}`, { role: "member" })).status, 403);
  });

  test("the members page explains a refused role change in the admin's language", async () => {
    const { slug, admin, community } = await buildCommunity(env());
    const banned = await buildUser(env());
    await env()
      .deps.db.insertInto("communityBans")
      .values({ communityId: community.id, userId: banned.id, bannedBy: admin.id, reason: "", createdAt: 1 })
      .execute();
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", admin.id).execute();
    const browser = await browse(env(), admin);
    const lastAdmin = await browser.submit(`/c/${slug}/members/${admin.id}`, { role: "member" });
    assert.equal(lastAdmin.status, 409);
    assert.match(lastAdmin.body, /role="alert"[\s\S]*Eine Community behält mindestens einen Admin/);
    assert.match(lastAdmin.body, /<select id="role-/, "the member list is shown again");
    const bannedUser = await browser.submit(`/c/${slug}/members/${banned.id}`, { role: "member" });
    assert.equal(bannedUser.status, 409);
    assert.match(bannedUser.body, /role="alert"[\s\S]*Diese Person ist aus der Community verbannt/);
  });
});
