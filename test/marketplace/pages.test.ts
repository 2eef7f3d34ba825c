import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, buildUser, type TestEnv } from "../helpers.ts";
import { MARKET_LIMITS } from "../../src/marketplace/marketplace.schema.ts";
import { browse, getPage, postForm } from "../web/web-helpers.ts";
import {
  applicationBody,
  at,
  bookingBody,
  createService,
  describeMarket,
  image,
  market,
  requestBooking,
} from "./support.ts";

/** Posts a multipart form (the application form with its photo) as a browser would. */
async function postMultipart(
  env: TestEnv,
  url: string,
  cookie: string,
  fields: Record<string, string>,
  file: { bytes: Buffer; type: string } | null,
) {
  const boundary = "----cs-test-boundary";
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="me.bin"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from("\r\n"),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await env.app.inject({
    method: "POST",
    url,
    headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  });
  return { status: res.statusCode, body: res.body, headers: res.headers };
}

describeMarket("marketplace pages", (env) => {
  test("the application form takes a photo upload; not an image or too large comes back with a message", async () => {
    const { slug } = await market(env());
    const applicant = await buildUser(env());
    const browser = await browse(env(), applicant);
    const { photo: _photo, acceptConduct: _accept, ...fields } = await applicationBody();
    const form = { ...fields, acceptConduct: "1", _csrf: browser.csrf };
    const url = `/c/${slug}/service-friends/apply`;
    const text = await postMultipart(env(), url, browser.cookie, form, {
      bytes: Buffer.from("just text"),
      type: "image/png",
    });
    assert.equal(text.status, 422);
    assert.match(text.body, /The photo must be a JPEG, PNG or WebP image./);
    const huge = await postMultipart(env(), url, browser.cookie, form, {
      bytes: Buffer.alloc(5 * 1024 * 1024 + 10, 1),
      type: "image/jpeg",
    });
    assert.equal(huge.status, 422);
    assert.match(huge.body, /The photo is too large/);
    const noCsrf = await postMultipart(
      env(),
      url,
      browser.cookie,
      { ...form, _csrf: "forged" },
      { bytes: await image("jpeg"), type: "image/jpeg" },
    );
    assert.equal(noCsrf.status, 403);
    assert.equal(
      (await getPage(env(), url, applicant)).body.includes("Waiting for review"),
      false,
      "nothing was written",
    );
    const ok = await postMultipart(env(), url, browser.cookie, form, {
      bytes: await image("jpeg"),
      type: "image/jpeg",
    });
    assert.equal(ok.status, 303);
    assert.match((await getPage(env(), url, applicant)).body, /Waiting for review/);
    const mine = await env().api.get(`/api/v1/communities/${slug}/helper-applications/mine`, applicant.auth);
    const stored = await getPage(env(), mine.body.application.photoUrl);
    assert.equal(stored.status, 200, "the uploaded photo is served");
    assert.equal(stored.headers["cache-control"], "public, max-age=31536000, immutable");
  });

  test("search, profile and academy read without logging in; the staff desk is for staff only", async () => {
    const { slug, helper, customer, staff } = await market(env());
    const search = await getPage(env(), `/c/${slug}/service-friends?postalCode=8001&sort=price`);
    assert.equal(search.status, 200);
    assert.match(search.body, /Hanna Helper/);
    assert.match(search.body, /CHF\s?50.00 fixed/);
    assert.equal((await getPage(env(), `/c/${slug}/helpers/${helper.id}`)).status, 200);
    assert.equal((await getPage(env(), `/c/${slug}/academy`)).status, 200);
    assert.equal((await getPage(env(), `/c/${slug}/service-friends/staff`, customer)).status, 403);
    const desk = await getPage(env(), `/c/${slug}/service-friends/staff`, staff);
    assert.equal(desk.status, 200);
    assert.match(desk.body, /Service catalog/);
    const german = await getPage(env(), `/c/${slug}/service-friends`, null, { "accept-language": "de" });
    assert.match(german.body, /Service-Freunde/);
  });

  test("'Offer your help' shows a member the application form and brings an approved helper to their offers", async () => {
    const { slug, helper, customer } = await market(env());
    const apply = `/c/${slug}/service-friends/apply`;
    const asMember = await getPage(env(), apply, customer);
    assert.equal(asMember.status, 200);
    assert.match(asMember.body, new RegExp(`<a[^>]*href="${apply}"[^>]*>Offer your help</a>`));
    assert.match(asMember.body, /name="realName"/, "the application form");
    const asHelper = await getPage(env(), apply, helper);
    assert.equal(asHelper.status, 302);
    assert.equal(asHelper.headers.location, `/c/${slug}/service-friends/mine#my-offers-title`);
    assert.doesNotMatch((await getPage(env(), `/c/${slug}/service-friends`, helper)).body, /Become a service friend/);
  });

  test("a booking page is for its parties; actions need the CSRF token", async () => {
    const { slug, offer, customer, other, helper } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    assert.equal((await getPage(env(), `/c/${slug}/bookings/${booking.id}`, other)).status, 404);
    const page = await getPage(env(), `/c/${slug}/bookings/${booking.id}`, helper);
    assert.match(page.body, /Shown once the booking is accepted/);
    const elsewhere = await buildCommunity(env());
    const moved = await getPage(env(), `/c/${elsewhere.slug}/bookings/${booking.id}`, helper);
    assert.equal(moved.status, 301, "under another community's address: sent to its own");
    assert.equal(moved.headers.location, `/c/${slug}/bookings/${booking.id}`);
    assert.ok(!page.body.includes("Bahnhofstrasse"), "no address before acceptance");
    assert.equal((await postForm(env(), `/c/${slug}/bookings/${booking.id}/accept`, {}, helper.cookie)).status, 403);
    const browser = await browse(env(), helper);
    assert.equal((await browser.submit(`/c/${slug}/bookings/${booking.id}/accept`)).status, 303);
    assert.match((await browser.get(`/c/${slug}/bookings/${booking.id}`)).body, /Bahnhofstrasse 1/);
  });

  test("declining, cancelling and completing come back to the booking page with the message by the field", async () => {
    const { slug, offer, customer, helper } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    const url = `/c/${slug}/bookings/${booking.id}`;
    const asHelper = await browse(env(), helper);
    const declined = await asHelper.submit(`${url}/decline`, { reason: "x".repeat(MARKET_LIMITS.reasonMax + 1) });
    assert.equal(declined.status, 422);
    assert.match(declined.body, /id="decline-reason" name="reason" aria-describedby="decline-reason-error"/);
    assert.match(declined.body, /<a\s+href="#decline-reason">/, "the alert links to the field");

    assert.equal((await asHelper.submit(`${url}/accept`)).status, 303);
    const asCustomer = await browse(env(), customer);
    const cancelled = await asCustomer.submit(`${url}/cancel`, { reason: "no" });
    assert.equal(cancelled.status, 422);
    assert.match(cancelled.body, /<details open><summary>/, "the cancel form is shown open");
    assert.match(cancelled.body, /id="cancel-reason" name="reason" required aria-describedby="cancel-reason-error"/);
    assert.match(cancelled.body, /value="no"/, "what was typed is kept");

    env().clock.set(Date.parse(booking.startsAt) + 3600_000);
    const completed = await asHelper.submit(`${url}/complete`, { method: "barter" });
    assert.equal(completed.status, 422);
    assert.match(completed.body, /<fieldset id="method"\s+class="field radios has-error"/);
    const booked = (await env().api.get(`/api/v1/bookings/${booking.id}`, customer.auth)).body.booking;
    assert.equal(booked.status, "accepted", "nothing changed");
  });

  test("the booking form: times typed in the community's time zone; refusals come back on the form", async () => {
    const { slug, offer, customer, other, helper } = await market(env());
    const url = `/c/${slug}/offers/${offer.id}/book`;
    assert.equal((await getPage(env(), url)).status, 401);
    const browser = await browse(env(), customer);
    const form = await browser.get(url);
    assert.match(form.body, /<input type="hidden" name="timezone" value="Europe\/Zurich">/);
    assert.match(form.body, /<li>Monday 08:00–20:00<\/li>/, "the helper's availability");
    const day = new Date(env().clock.now() + 4 * 24 * 3600_000).toISOString().slice(0, 10);
    const { startsAt: _s, endsAt: _e, ...visit } = bookingBody(env());
    const fields = { ...visit, timezone: "Europe/Zurich", date: day, from: "10:00", to: "12:00" };

    const reversed = await browser.submit(url, { ...fields, from: "12:00", to: "10:00" });
    assert.equal(reversed.status, 422);
    assert.match(reversed.body, /id="to" name="to" aria-describedby="to-error" aria-invalid="true"/);
    assert.match(reversed.body, /The end must be after the start, at most \d+ hours later\./, "the catalog's words");
    // A day or time that does not exist comes back to the form (it was a 500), typed values kept.
    for (const wrong of [{ date: "2026-13-45" }, { date: "2026-02-31" }, { from: "99:99" }, { to: "25:00" }]) {
      const refused = await browser.submit(url, { ...fields, ...wrong });
      assert.equal(refused.status, 422, JSON.stringify(wrong));
      assert.match(refused.body, /aria-invalid="true"/);
      assert.ok(refused.body.includes(Object.values(wrong)[0]), "what was typed is kept");
    }
    const booked = await browser.submit(url, fields);
    assert.equal(booked.status, 303);
    const id = String(booked.headers.location).split("/").pop();
    const { booking } = (await env().api.get(`/api/v1/bookings/${id}`, customer.auth)).body;
    assert.equal(booking.startsAt, new Date(at(env(), 4, "10:00")).toISOString(), "10:00 in Zurich");

    await env().api.post(`/api/v1/bookings/${id}/accept`, {}, helper.auth);
    const taken = await (await browse(env(), other)).submit(url, fields);
    assert.equal(taken.status, 409);
    assert.match(taken.body, /id="date-error">The helper is already booked at that time./);
    await env().api.delete(`/api/v1/offers/${offer.id}`, helper.auth);
    assert.equal((await browser.get(url)).status, 404, "a withdrawn offer takes no bookings");
  });

  test("reviews on the profile: the helper answers, members report; each form leads back to the review", async () => {
    const { slug, offer, customer, other, helper, staff } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth);
    env().clock.set(Date.parse(booking.endsAt));
    await env().api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, helper.auth);
    const { review } = (
      await env().api.post(
        `/api/v1/bookings/${booking.id}/review`,
        { rating: 4, text: "Quick and friendly." },
        customer.auth,
      )
    ).body;
    const profile = `/c/${slug}/helpers/${helper.id}`;
    const respond = `action="/c/${slug}/reviews/${review.id}/response"`;
    const report = `action="/c/${slug}/reviews/${review.id}/flag"`;
    const book = `href="/c/${slug}/offers/${offer.id}/book"`;
    const visitor = (await getPage(env(), profile)).body;
    assert.ok(!visitor.includes(respond) && !visitor.includes(report), "visitors neither answer nor report");
    assert.match(visitor, /4 \(1 review\)/, "one review, in the singular");
    assert.ok(visitor.includes(book), "visitors see the button and are asked to log in");
    const member = (await getPage(env(), profile, other)).body;
    assert.ok(!member.includes(respond) && member.includes(report) && member.includes(book));
    const asHelper = await browse(env(), helper);
    const own = (await asHelper.get(profile)).body;
    assert.ok(own.includes(respond) && !own.includes(book), "the helper answers and does not book themself");

    const answered = await asHelper.submit(`/c/${slug}/reviews/${review.id}/response`, { body: "Thank you!" });
    assert.equal(answered.status, 303);
    assert.equal(answered.headers.location, `${profile}#review-${review.id}`);
    assert.ok(!(await asHelper.get(profile)).body.includes(respond), "answered once");
    const reported = await (await browse(env(), other)).submit(`/c/${slug}/reviews/${review.id}/flag`, {
      reason: "Not about the job.",
    });
    assert.equal(reported.headers.location, `${profile}#review-${review.id}`);
    assert.match((await getPage(env(), `/c/${slug}/service-friends/staff`, staff)).body, /Quick and friendly./);
  });

  test("the staff desk forms are for staff; a service the catalog has comes back with a message", async () => {
    const { slug, admin, customer } = await market(env());
    const url = `/c/${slug}/service-friends/services`;
    const service = { name: "Router help", description: "", maxPrice: "40" };
    assert.equal((await postForm(env(), url, service)).status, 401);
    assert.equal((await (await browse(env(), customer)).submit(url, service)).status, 403);
    const desk = await browse(env(), admin);
    const added = await desk.submit(url, service);
    assert.equal(added.status, 303);
    assert.equal(added.headers.location, `/c/${slug}/service-friends/staff#catalog-title`);
    const again = await desk.submit(url, service);
    assert.equal(again.status, 409);
    assert.match(again.body, /id="name-error">The catalog already has this service./);
    const settings = await desk.submit(`/c/${slug}/service-friends/settings`, { platformFeePercent: "15" });
    assert.equal(settings.headers.location, `/c/${slug}/service-friends/staff#settings-title`);
    const { body } = await env().api.get(`/api/v1/communities/${slug}/marketplace-settings`);
    assert.equal(body.settings.platformFeePercent, 15);
  });

  test("a topic page offers to book a service friend on unsolved topics of a category a service covers, when someone offers it", async () => {
    const { slug, admin, categories, customer, helper } = await market(env());
    const topic = await buildTopic(env(), slug, customer, { categoryId: categories[0].id });
    const bookLink = async (topicId = topic.id) => {
      const page = await getPage(env(), `/c/${slug}/t/${topicId}`, customer);
      const canonical = page.status === 301 ? await getPage(env(), String(page.headers.location), customer) : page;
      assert.equal(canonical.status, 200);
      return /<a class="button" href="([^"]*service-friends[^"]*)">/.exec(canonical.body)?.[1] ?? null;
    };
    assert.equal(await bookLink(), null, "no service covers the category yet");
    const service = await createService(env(), slug, admin, { name: "Router help", categoryId: categories[0].id });
    assert.equal(await bookLink(), null, "nobody offers it yet");
    await env().api.post(
      `/api/v1/communities/${slug}/offers`,
      {
        serviceId: service.id,
        price: 30,
        priceUnit: "fixed",
        postalCodes: ["8001"],
        availability: [{ day: 1, start: "09:00", end: "12:00" }],
      },
      helper.auth,
    );
    assert.equal(await bookLink(), `/c/${slug}/service-friends?service=${service.id}`);
    const category = await env().api.post(`/api/v1/communities/${slug}/categories`, { name: "Billing" }, admin.auth);
    const other = await buildTopic(env(), slug, customer, { categoryId: category.body.id });
    assert.equal(await bookLink(other.id), null, "a category no service covers");
    const answer = await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "Restart it." }, helper.auth);
    const accepted = await env().api.post(
      `/api/v1/topics/${topic.id}/accept`,
      { replyId: answer.body.reply.id },
      customer.auth,
    );
    assert.equal(accepted.status, 200);
    assert.equal(await bookLink(), null, "a solved topic");
  });

  test("every API path of the issue is in the OpenAPI document", async () => {
    const { paths } = (await env().api.get("/api/v1/openapi.json")).body;
    const expected = {
      "/communities/{slug}/courses": ["get", "post"],
      "/courses/{id}": ["get"],
      "/courses/{id}/attempts": ["post"],
      "/communities/{slug}/services": ["get", "post"],
      "/communities/{slug}/helper-applications": ["get", "post"],
      "/helper-applications/{id}/decision": ["post"],
      "/communities/{slug}/offers": ["get", "post"],
      "/offers/{id}/bookings": ["post"],
      "/communities/{slug}/job-requests": ["post"],
      "/me/job-offers": ["get"],
      "/job-requests/{id}/accept": ["post"],
      "/bookings/{id}": ["get"],
      "/bookings/{id}/accept": ["post"],
      "/bookings/{id}/decline": ["post"],
      "/bookings/{id}/cancel": ["post"],
      "/bookings/{id}/complete": ["post"],
      "/bookings/{id}/messages": ["post"],
      "/bookings/{id}/review": ["post"],
      "/communities/{slug}/helpers/{userId}": ["get"],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of methods) assert.ok(paths[`/api/v1${path}`]?.[method], `${method} ${path}`);
    }
  });
});
