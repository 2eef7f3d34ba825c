import { test } from "node:test";
import assert from "node:assert/strict";
import { buildTopic, buildUser, type TestEnv, type TestUser } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";
import {
  approvedHelper,
  createOffer,
  createService,
  describeMarket,
  expireCertification,
  market,
  passCourse,
  wifiCourse,
} from "./support.ts";

const DAY = 24 * 3600_000;

/**
 * The topic page's "Book a service friend" link names a service only while someone sells it: an
 * approved helper in good standing (not suspended in the community, not banned, not removed),
 * holding the certification the service requires. It leads to the finder, which shows exactly
 * those helpers, so a link to an empty finder is never offered.
 */
describeMarket("the topic page's book-a-helper link and the helpers' standing", (env) => {
  /** The book link on the topic's page as `viewer` (anonymous: null) sees it, or null. */
  async function bookLink(slug: string, topicId: number, viewer: TestUser | null) {
    const page = await getPage(env(), `/c/${slug}/t/${topicId}`, viewer);
    const canonical = page.status === 301 ? await getPage(env(), String(page.headers.location), viewer) : page;
    assert.equal(canonical.status, 200);
    return /<a class="button" href="([^"]*service-friends[^"]*)">/.exec(canonical.body)?.[1] ?? null;
  }

  async function linkedTopic(e: TestEnv) {
    const base = await market(e);
    const service = await createService(e, base.slug, base.admin, {
      name: "Router help",
      categoryId: base.categories[0].id,
    });
    await createOffer(e, base.slug, base.helper, service.id);
    const topic = await buildTopic(e, base.slug, base.customer, { categoryId: base.categories[0].id });
    return { ...base, linked: service, topic };
  }

  test("no link while the only helper is suspended in the community or banned; back when that ends", async () => {
    const { slug, admin, helper, customer, topic, linked } = await linkedTopic(env());
    const expected = `/c/${slug}/service-friends?service=${linked.id}`;
    assert.equal(await bookLink(slug, topic.id, customer), expected, "in good standing");
    assert.equal(await bookLink(slug, topic.id, null), expected, "for a visitor too");

    const member = `/api/v1/communities/${slug}/members/${helper.id}`;
    const suspended = await env().api.put(`${member}/suspension`, { days: 7, reason: "Rude to customers" }, admin.auth);
    assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
    assert.equal(await bookLink(slug, topic.id, customer), null, "suspended in the community");
    assert.equal(await bookLink(slug, topic.id, null), null, "also for a visitor");
    env().clock.advance(8 * DAY);
    assert.equal(await bookLink(slug, topic.id, customer), expected, "back once the suspension ended");

    assert.equal((await env().api.put(`${member}/ban`, { reason: "Scamming customers" }, admin.auth)).status, 200);
    assert.equal(await bookLink(slug, topic.id, customer), null, "banned");
    assert.equal((await env().api.delete(`${member}/ban`, admin.auth)).status, 200);
    assert.equal(await bookLink(slug, topic.id, customer), expected, "back once the ban is lifted");
  });

  test("no link while the only helper is suspended as a service friend or withdrew the offer", async () => {
    const { slug, admin, helper, customer, topic, application } = await linkedTopic(env());
    const suspended = await env().api.post(
      `/api/v1/helper-applications/${application.id}/decision`,
      { decision: "suspend", reason: "Complaints." },
      admin.auth,
    );
    assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
    assert.equal(await bookLink(slug, topic.id, customer), null, "vetting revoked");
    const offers = await env().deps.db.selectFrom("offers").select("id").where("helperId", "=", helper.id).execute();
    await env().deps.db.updateTable("helpers").set({ status: "approved" }).where("userId", "=", helper.id).execute();
    assert.ok(await bookLink(slug, topic.id, customer), "approved again");
    for (const { id } of offers) await env().api.delete(`/api/v1/offers/${id}`, helper.auth);
    assert.equal(await bookLink(slug, topic.id, customer), null, "not selling: no active offer");
  });

  test("a service requiring a certification: no link while its only helper's certification has expired", async () => {
    const { slug, admin, helper, customer, categories } = await market(env());
    const course = await wifiCourse(env(), slug, admin);
    await passCourse(env(), course, helper);
    const wifi = await createService(env(), slug, admin, {
      name: "Wi-Fi",
      requiredCourseId: course.id,
      categoryId: categories[0].id,
    });
    await createOffer(env(), slug, helper, wifi.id);
    const topic = await buildTopic(env(), slug, customer, { categoryId: categories[0].id });
    assert.equal(await bookLink(slug, topic.id, customer), `/c/${slug}/service-friends?service=${wifi.id}`);
    await expireCertification(env(), helper.id, course.id);
    assert.equal(await bookLink(slug, topic.id, customer), null, "the certification expired");
  });

  test("with two services on the category, the link names the first one someone may be booked for", async () => {
    const { slug, admin, customer, topic, linked, categories } = await linkedTopic(env());
    // "Antenna help" sorts first; then its only helper is suspended in the community.
    const { user: other } = await approvedHelper(env(), slug, admin, await buildUser(env(), { name: "Otto" }));
    const antenna = await createService(env(), slug, admin, { name: "Antenna help", categoryId: categories[0].id });
    await createOffer(env(), slug, other, antenna.id);
    assert.equal(await bookLink(slug, topic.id, customer), `/c/${slug}/service-friends?service=${antenna.id}`);
    await env().api.put(
      `/api/v1/communities/${slug}/members/${other.id}/suspension`,
      { days: 3, reason: "No-shows" },
      admin.auth,
    );
    assert.equal(await bookLink(slug, topic.id, customer), `/c/${slug}/service-friends?service=${linked.id}`);
  });
});
