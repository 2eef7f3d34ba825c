import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";
import { drainJobs } from "./support.ts";
import { notify } from "../../src/notifications/notifications.fanout.ts";

describeEachDatabase("times in notifications and emails", (env) => {
  test("the list, the bell and the email show an appointment in the community's zone and the reader's locale", async () => {
    const at = Date.UTC(2026, 11, 7, 9); // 10:00 in Zurich
    env().clock.set(at - 5 * 86_400_000);
    const { community, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [english, german] = members.member;
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", german.id).execute();
    await env()
      .deps.db.updateTable("communities")
      .set({ timeZone: "Europe/Zurich" })
      .where("id", "=", community.id)
      .execute();
    await notify(env().deps, {
      kind: "market.booking_reminder",
      userIds: [english.id, german.id],
      communityId: community.id,
      eventKey: "reminder:times",
      data: { title: "Router setup", at, url: `/c/${community.slug}/bookings/1`, subject: "booking:1" },
    });
    await drainJobs(env());

    const list = await env().api.get("/api/v1/notifications", english.auth);
    assert.equal(list.body.notifications[0].text, "Reminder: Router setup, Mon, Dec 7, 2026, 10:00 AM (in 5 days)");
    // The page lists it, and so does the bell in its header.
    const page = await getPage(env(), "/me/notifications", german);
    const shown = page.body.split("Erinnerung: Router setup, Mo., 7. Dez. 2026, 10:00 (in 5 Tagen)").length - 1;
    assert.equal(shown, 2, "the list and the bell");

    const mails = await env()
      .deps.db.selectFrom("emailDeliveries")
      .select(["toAddress", "subject", "textBody"])
      .where("toAddress", "in", [english.email, german.email])
      .execute();
    const to = (email: string) => mails.find((m) => m.toAddress === email);
    assert.equal(to(german.email)?.subject, "Erinnerung: Router setup, Mo., 7. Dez. 2026, 10:00 (in 5 Tagen)");
    assert.equal(to(english.email)?.subject, "Reminder: Router setup, Mon, Dec 7, 2026, 10:00 AM (in 5 days)");
    assert.ok(!to(german.email)?.textBody.includes("UTC"));
  });

  test("a community page's relative times carry the absolute time of the community's zone", async () => {
    env().clock.set(Date.UTC(2026, 11, 2, 9)); // 10:00 in Zurich
    const { slug, community, admin } = await buildCommunity(env());
    await env()
      .deps.db.updateTable("communities")
      .set({ timeZone: "Europe/Zurich" })
      .where("id", "=", community.id)
      .execute();
    await buildTopic(env(), slug, admin, { title: "When was this asked?" });
    const list = await getPage(env(), `/c/${slug}`);
    assert.match(list.body, /<time datetime="2026-12-02T09:00:00.000Z" title="Wed, Dec 2, 2026, 10:00 AM">/);
  });
});
