import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase, TEST_PASSWORD } from "../helpers.ts";
import { browse, getPage, postForm } from "../web/web-helpers.ts";
import { unsubscribeUrl } from "../../src/notifications/notifications.delivery.ts";
import { drainJobs } from "./support.ts";

describeEachDatabase("notification pages", (env) => {
  test("the notification list: members only, mark one or all as read", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Router blinks red at night" });
    await buildReply(env(), topic.id, helper);
    await buildReply(env(), topic.id, helper);
    await drainJobs(env());
    const anonymous = await getPage(env(), "/me/notifications");
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.body, /href="\/login\?next=%2Fme%2Fnotifications">Log in</);
    const browser = await browse(env(), asker);
    const list = await browser.get("/me/notifications");
    assert.equal(list.status, 200);
    assert.match(list.body, /2 new replies in “Router blinks red at night”/);
    assert.equal(list.body.match(/>Mark as read</g)?.length, 1, "one per group");
    const id = (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications[0].id;
    const one = await browser.submit("/me/notifications/read", { id: String(id) });
    assert.equal(one.status, 303);
    assert.equal(one.headers.location, "/me/notifications?done=read");
    assert.equal((await env().api.get("/api/v1/notifications", asker.auth)).body.unreadCount, 1);
    const malformed = await browser.submit("/me/notifications/read", { id: "not-a-number" });
    assert.equal(malformed.status, 303, "a malformed form marks nothing and goes back");
    assert.equal((await env().api.get("/api/v1/notifications", asker.auth)).body.unreadCount, 1);
    await browser.submit("/me/notifications/read", { all: "1" });
    assert.equal((await env().api.get("/api/v1/notifications", asker.auth)).body.unreadCount, 0);
    assert.equal((await postForm(env(), "/me/notifications/read", { all: "1" })).status, 401);
  });

  test("mark all as read leaves unread what arrived after the page was shown", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Router blinks red at night" });
    await buildReply(env(), topic.id, helper);
    await drainJobs(env());
    const browser = await browse(env(), asker);
    const page = await browser.get("/me/notifications");
    const shown = (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications[0].id;
    const forms = [...page.body.matchAll(/name="upTo" value="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(forms, [shown, shown], "the bell's and the page's forms carry the newest id shown");
    await buildReply(env(), topic.id, helper);
    await drainJobs(env());
    await browser.submit("/me/notifications/read", { all: "1", upTo: String(shown) });
    const after = (await env().api.get("/api/v1/notifications?unread=true", asker.auth)).body;
    assert.equal(after.unreadCount, 1, "the reply that came later is still unread");
    assert.ok(after.notifications[0].id > shown);
    const api = await env().api.post("/api/v1/notifications/read", { all: true, upTo: shown }, asker.auth);
    assert.equal(api.body.unreadCount, 1, "the API's upTo does the same");
    assert.equal((await env().api.post("/api/v1/notifications/read", { all: true }, asker.auth)).body.unreadCount, 0);
  });

  test("notification settings: saved through the form, unknown fields ignored", async () => {
    const user = await buildUser(env());
    assert.equal((await getPage(env(), "/me/notifications/settings")).status, 401);
    const browser = await browse(env(), user);
    const form = await browser.get("/me/notifications/settings");
    assert.match(form.body, /<input\s+type="radio" name="reply" value="email" checked>/);
    assert.doesNotMatch(form.body, /Your settings are saved/);
    const saved = await browser.submit("/me/notifications/settings", {
      reply: "off",
      mention: "sometimes",
      x: "email",
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.location, "/me/notifications/settings?saved=1");
    const preferences = (await env().api.get("/api/v1/me/notification-preferences", user.auth)).body.preferences;
    const channelOf = (kind: string) => preferences.find((p: { kind: string }) => p.kind === kind).channel;
    assert.equal(channelOf("reply"), "off");
    assert.notEqual(channelOf("mention"), "sometimes");
    const after = await browser.get(String(saved.headers.location));
    assert.match(after.body, /Your settings are saved/);
    assert.match(after.body, /<input\s+type="radio" name="reply" value="off" checked>/);
  });

  test("unsubscribe links: a confirmation page, then done, without logging in; a bad link is a 400 page", async () => {
    const user = await buildUser(env());
    const link = new URL(await unsubscribeUrl(env().deps, user.id, "reply"));
    const url = link.pathname + link.search;
    const confirm = await getPage(env(), url);
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, /<input type="hidden" name="List-Unsubscribe" value="One-Click">/);
    const done = await postForm(env(), url, { "List-Unsubscribe": "One-Click" });
    assert.equal(done.status, 200);
    assert.match(done.body, /You will no longer get emails about/);
    const preferences = (await env().api.get("/api/v1/me/notification-preferences", user.auth)).body.preferences;
    assert.equal(preferences.find((p: { kind: string }) => p.kind === "reply").channel, "inapp");
    for (const bad of [url.replace("k=reply", "k=mention"), "/unsubscribe", "/unsubscribe?u=x&k=reply&s=y"]) {
      for (const method of ["GET", "POST"] as const) {
        const res = await env().app.inject({ method, url: bad });
        assert.equal(res.statusCode, 400, `${method} ${bad}`);
        assert.match(res.body, /This unsubscribe link is not valid./);
      }
    }
  });

  test("an unsubscribe link stops emails only: a kind turned off stays off", async () => {
    const user = await buildUser(env());
    const prefs = async () =>
      (await env().api.get("/api/v1/me/notification-preferences", user.auth)).body.preferences.find(
        (p: { kind: string }) => p.kind === "reply",
      ).channel;
    assert.equal(
      (await env().api.put("/api/v1/me/notification-preferences", { preferences: { reply: "off" } }, user.auth)).status,
      200,
    );
    const link = new URL(await unsubscribeUrl(env().deps, user.id, "reply"));
    const url = link.pathname + link.search;
    const done = await postForm(env(), url, { "List-Unsubscribe": "One-Click" });
    assert.equal(done.status, 200);
    assert.equal(await prefs(), "off", "unsubscribing from emails does not turn in-app notifications back on");
  });

  test("the unsubscribe link of a deleted account is invalid and writes nothing", async () => {
    const user = await buildUser(env());
    const link = new URL(await unsubscribeUrl(env().deps, user.id, "reply"));
    const url = link.pathname + link.search;
    const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, user.auth);
    assert.equal(deleted.status, 204);
    for (const method of ["GET", "POST"] as const) {
      const res = await env().app.inject({ method, url });
      assert.equal(res.statusCode, 400, `${method} after the account was deleted`);
      assert.match(res.body, /This unsubscribe link is not valid./);
    }
    const rows = await env()
      .deps.db.selectFrom("notificationPreferences")
      .select("kind")
      .where("userId", "=", user.id)
      .execute();
    assert.deepEqual(rows, [], "the erased preferences are not written again");
  });

  test("the outgoing email page names each delivery's state in the admin's language", async () => {
    const member = await buildUser(env());
    const admin = await buildUser(env(), { platformAdmin: true });
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", admin.id).execute();
    await env()
      .deps.db.insertInto("emailDeliveries")
      .values({
        userId: member.id,
        toAddress: member.email,
        kind: "reply",
        subject: "A refused email",
        textBody: "",
        htmlBody: "",
        headers: "{}",
        status: "failed",
        attempts: 6,
        lastError: "550 Mailbox unavailable",
        createdAt: env().clock.now(),
        sentAt: null,
      })
      .execute();
    const page = await getPage(env(), "/admin/emails", admin);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1>Ausgehende E-Mails<\/h1>/);
    assert.match(page.body, />Fehlgeschlagen</);
    assert.doesNotMatch(page.body, />failed</);
  });

  test("outgoing email is for platform admins", async () => {
    const member = await buildUser(env());
    const admin = await buildUser(env(), { platformAdmin: true });
    assert.equal((await getPage(env(), "/admin/emails")).status, 401);
    assert.equal((await getPage(env(), "/admin/emails", member)).status, 403);
    const page = await getPage(env(), "/admin/emails", admin);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1>Outgoing email<\/h1>/);
  });
});
