import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic } from "../helpers.ts";
import { browse, getPage } from "../web/web-helpers.ts";
import { bookingBody, describeMarket, market, requestBooking } from "../marketplace/support.ts";
import { drainJobs } from "./support.ts";

/** The bell's menu in a page, or null when the page has none. */
const bellOf = (body: string) => /<details class="bell-menu"[\s\S]*?<\/details>/.exec(body)?.[0] ?? null;

describeMarket("notification groups, bell and settings grid", (env) => {
  test("several replies on one topic are one group, on the page and in the bell", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, a, b] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Router blinks red at night" });
    const other = await buildTopic(env(), slug, asker, { title: "Printer offline again" });
    // Fanned out one at a time, so the notifications' order is the replies' order on both engines.
    for (const [where, who] of [
      [topic, a],
      [other, a],
      [topic, a],
      [topic, b],
    ] as const) {
      await buildReply(env(), where.id, who);
      await drainJobs(env());
    }
    const api = (await env().api.get("/api/v1/notifications", asker.auth)).body;
    assert.equal(api.notifications.length, 4, "the API list stays flat");
    assert.equal(api.notifications[0].group, `topic:${topic.id}`);

    const page = await getPage(env(), "/me/notifications", asker);
    const entries = page.body.match(/<li class="notification[^"]*" data-group="[^"]+"/g) ?? [];
    assert.deepEqual(
      entries.map((e) => /data-group="([^"]+)"/.exec(e)![1]),
      [`topic:${topic.id}`, `topic:${other.id}`],
      "one entry per topic, the newest first",
    );
    assert.match(page.body, /3 new replies in “Router blinks red at night”/);
    assert.match(page.body, new RegExp(`${b.name} replied to your topic`), "the latest actor");
    assert.equal(page.body.match(/>Mark as read</g)?.length, 2, "one mark-read per group");

    const bell = bellOf(page.body);
    assert.ok(bell);
    assert.match(bell, /aria-label="Notifications: 4 unread"/);
    assert.match(bell, /3 new replies in “Router blinks red at night”/);
    assert.equal(bell.match(/<li/g)?.length, 2);
  });

  test("marking one group read leaves the others; mark all read returns with a confirmation", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Router blinks red at night" });
    const other = await buildTopic(env(), slug, asker, { title: "Printer offline again" });
    await buildReply(env(), topic.id, helper);
    await buildReply(env(), topic.id, helper);
    await buildReply(env(), other.id, helper);
    await drainJobs(env());
    const browser = await browse(env(), asker);
    const list = await browser.get("/me/notifications");
    const groupIds = new RegExp(`data-group="topic:${topic.id}"[\\s\\S]*?name="ids" value="([\\d,]+)"`).exec(
      list.body,
    )![1];
    assert.equal(groupIds.split(",").length, 2);
    const one = await browser.submit("/me/notifications/read", { ids: groupIds, next: "/me/notifications" });
    assert.equal(one.status, 303);
    assert.equal(one.headers.location, "/me/notifications?done=read");
    assert.equal((await env().api.get("/api/v1/notifications", asker.auth)).body.unreadCount, 1);

    const all = await browser.submit("/me/notifications/read", { all: "1", next: `/c/${slug}` });
    assert.equal(all.status, 303);
    assert.equal(all.headers.location, `/c/${slug}?done=read`, "back to the page the bell was on");
    assert.equal((await env().api.get("/api/v1/notifications", asker.auth)).body.unreadCount, 0);
    const back = await browser.get(String(all.headers.location));
    assert.match(back.body, /role="status">Notifications marked as read.</);
    assert.match(bellOf(back.body)!, /aria-label="Notifications: 0 unread"/);
    const away = await browser.submit("/me/notifications/read", { all: "1", next: "//evil.example/" });
    assert.equal(away.headers.location, "/me/notifications?done=read", "next stays on this site");

    await buildReply(env(), other.id, helper);
    await drainJobs(env());
    const api = await env().api.post("/api/v1/notifications/read-all", {}, asker.auth);
    assert.equal(api.status, 200);
    assert.deepEqual(api.body, { unreadCount: 0 });
    assert.equal((await env().api.post("/api/v1/notifications/read-all", {})).status, 401);
  });

  test("the events of one booking are one group", async () => {
    const { offer, customer, helper } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    const second = await requestBooking(env(), offer.id, customer, bookingBody(env(), 5));
    await env().api.post(`/api/v1/bookings/${booking.id}/messages`, { body: "Is parking available?" }, customer.auth);
    await env().api.post(
      `/api/v1/bookings/${booking.id}/messages`,
      { body: "Second floor, ring twice." },
      customer.auth,
    );
    await drainJobs(env());
    const api = (await env().api.get("/api/v1/notifications", helper.auth)).body;
    assert.ok(api.notifications.length >= 4);
    const page = await getPage(env(), "/me/notifications", helper);
    const groups = (page.body.match(/data-group="([^"]+)"/g) ?? []).map((g) => g.slice(12, -1));
    assert.deepEqual(groups.filter((g) => g.startsWith("subject:booking:")).sort(), [
      `subject:booking:${booking.id}`,
      `subject:booking:${second.id}`,
    ]);
    assert.match(page.body, /3 new updates about/, "request and two messages of the first booking");
  });

  test("the bell lists the latest ten groups for a member, and is absent for anonymous visitors", async () => {
    // Staff: a new member's first posts a day are limited (trust levels), staff's are not.
    const { slug, members } = await buildCommunity(env(), { members: { staff: 2 } });
    const [asker, helper] = members.staff;
    for (let i = 0; i < 12; i++) {
      const topic = await buildTopic(env(), slug, asker, { title: `Question number ${i} here` });
      await buildReply(env(), topic.id, helper);
      await drainJobs(env());
    }
    const page = await getPage(env(), `/c/${slug}`, asker);
    const bell = bellOf(page.body)!;
    assert.match(bell, /<summary class="bell" data-bell\s+aria-label="Notifications: 12 unread">/);
    assert.match(bell, /<span class="count"\s+data-unread>12<\/span>/);
    assert.equal(bell.match(/<li/g)?.length, 10);
    assert.match(bell, /Question number 11 here/);
    assert.doesNotMatch(bell, /Question number 1 here/);
    assert.match(bell, /<a href="\/me\/notifications">See all<\/a>/);
    assert.match(bell, /name="next" value="\/c\//);
    assert.equal(page.headers["cache-control"], "private, no-store");

    for (let i = 0; i < 2; i++) {
      const anonymous = await getPage(env(), `/c/${slug}`);
      assert.equal(anonymous.status, 200);
      assert.equal(bellOf(anonymous.body), null);
      assert.doesNotMatch(anonymous.body, /data-bell|Question number 11 here.*replied/);
    }
  });

  test("the settings grid shows staff-only and helper-only kinds only to them, and saves", async () => {
    const { admin, members, slug } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const member = members.member[0];
    const staff = members.staff[0];
    const { helper } = await market(env());
    const rowsOf = async (user: typeof member) => {
      const body = (await getPage(env(), "/me/notifications/settings", user)).body;
      return { body, kinds: new Set([...body.matchAll(/type="radio" name="([^"]+)"/g)].map((m) => m[1])) };
    };
    const asMember = await rowsOf(member);
    assert.ok(asMember.kinds.has("reply") && asMember.kinds.has("market.booking_accepted"));
    for (const hidden of ["market.application_submitted", "market.job_unassigned", "market.job_offered"])
      assert.ok(!asMember.kinds.has(hidden), hidden);
    assert.match(asMember.body, /<th scope="col"[^>]*>Email<\/th>/);
    assert.match(asMember.body, /<th scope="row">Replies to my topics<\/th>/);
    assert.match(asMember.body, /<span class="sr-only">Replies to my topics: Off<\/span>/);
    assert.match(asMember.body, /<h2 id="area-marketplace">Service friends and bookings<\/h2>/);

    const asStaff = await rowsOf(staff);
    assert.ok(asStaff.kinds.has("market.application_submitted") && asStaff.kinds.has("market.job_unassigned"));
    assert.ok(!asStaff.kinds.has("market.job_offered"));
    assert.ok((await rowsOf(admin)).kinds.has("market.application_submitted"), `the admin of ${slug} is staff`);
    const asHelper = await rowsOf(helper);
    assert.ok(asHelper.kinds.has("market.job_offered") && !asHelper.kinds.has("market.application_submitted"));

    const browser = await browse(env(), member);
    const saved = await browser.submit("/me/notifications/settings", {
      reply: "weekly",
      "market.booking_accepted": "off",
      "market.application_submitted": "off",
    });
    assert.equal(saved.status, 303);
    const prefs = (await env().api.get("/api/v1/me/notification-preferences", member.auth)).body.preferences;
    const channelOf = (kind: string) => prefs.find((p: { kind: string }) => p.kind === kind)?.channel;
    assert.equal(channelOf("reply"), "weekly");
    assert.equal(channelOf("market.booking_accepted"), "off");
    assert.equal(channelOf("market.application_submitted"), undefined, "the API lists only the member's kinds");
    const stored = await env()
      .deps.db.selectFrom("notificationPreferences")
      .select("kind")
      .where("userId", "=", member.id)
      .execute();
    assert.deepEqual(
      stored.map((r) => r.kind).sort(),
      ["market.booking_accepted", "reply"],
      "the staff kind was ignored",
    );
    const after = await browser.get("/me/notifications/settings?saved=1");
    assert.match(after.body, /name="reply" value="weekly" checked/);

    const refused = await env().api.put(
      "/api/v1/me/notification-preferences",
      { preferences: { "market.job_unassigned": "off" } },
      member.auth,
    );
    assert.equal(refused.status, 422);
    assert.ok(refused.body.error.fields["preferences.market.job_unassigned"]);
    const allowed = await env().api.put(
      "/api/v1/me/notification-preferences",
      { preferences: { "market.job_unassigned": "off" } },
      staff.auth,
    );
    assert.equal(allowed.status, 200);
  });
});
