import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { launchChromium, waitUntilSignedIn } from "../browser.ts";
import {
  DATABASES,
  TEST_PASSWORD,
  addMember,
  buildCommunity,
  buildUser,
  createTestEnv,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { image } from "../marketplace/support.ts";

/** A browser tab logged in as the user (each user in a context of their own). */
async function loggedIn(browser: Browser, baseURL: string, user: TestUser): Promise<Page> {
  const page = await (await browser.newContext({ baseURL, locale: "en-US" })).newPage();
  page.setDefaultTimeout(10_000);
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await waitUntilSignedIn(page);
  return page;
}

/** The questionnaire and one service, set up by staff through the API. */
async function setUpCommunity(env: TestEnv) {
  const { slug, admin, community } = await buildCommunity(env);
  const course = await env.api.post(
    `/api/v1/communities/${slug}/courses`,
    {
      title: "Service friend questionnaire",
      passMark: 100,
      lessons: [{ title: "Cables", body: "The **fibre** cable goes into the WAN port." }],
      questions: [
        {
          text: "Where does the fibre cable go?",
          kind: "single",
          options: [{ text: "Into the WAN port", correct: true }, { text: "Into the USB port" }],
        },
      ],
    },
    admin.auth,
  );
  await env.api.patch(
    `/api/v1/communities/${slug}/marketplace-settings`,
    { helperCourseId: course.body.course.id },
    admin.auth,
  );
  await env.api.post(`/api/v1/communities/${slug}/services`, { name: "TV set-up", maxPrice: 80 }, admin.auth);
  return { slug, admin, communityId: community.id };
}

test("service friends: apply, quiz, approval, offer, booking, messages, completion, review", {
  timeout: 90_000,
}, async () => {
  const env = await createTestEnv(DATABASES[0], { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-e2e-")) });
  const browser = await launchChromium();
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const { slug, admin, communityId } = await setUpCommunity(env);
    const helperUser = await buildUser(env, { name: "Hanna Helper" });
    const customerUser = await buildUser(env, { name: "Cora Customer" });
    await addMember(env, communityId, customerUser.id, "member");

    // The helper passes the questionnaire, then applies with a photo.
    const helper = await loggedIn(browser, baseURL, helperUser);
    await helper.goto(`/c/${slug}/service-friends/apply`);
    await helper.getByRole("link", { name: "Service friend questionnaire" }).click();
    await helper.getByLabel("Into the WAN port").check();
    await helper.getByRole("button", { name: "Submit answers" }).click();
    await helper.getByText("Certified").first().waitFor();
    await helper.goto(`/c/${slug}/service-friends/apply`);
    await helper.getByLabel("Real name").fill("Hanna Helper");
    await helper.getByLabel("Postal code").fill("8001");
    await helper.getByLabel("Phone").fill("+41 79 123 45 67");
    await helper
      .getByLabel("Profile photo")
      .setInputFiles({ name: "me.png", mimeType: "image/png", buffer: await image("png", 300) });
    await helper.getByLabel("About you").fill("I set up TV boxes for my neighbours.");
    await helper.getByLabel("I accept the community's code of conduct.").check();
    await helper.getByRole("button", { name: "Send application" }).click();
    await helper.getByText("Waiting for review").waitFor();

    // Staff approve it at the staff desk.
    const staff = await loggedIn(browser, baseURL, admin);
    await staff.goto(`/c/${slug}/service-friends/staff`);
    await staff.getByRole("button", { name: "Approve" }).click();
    await staff.getByRole("heading", { name: "Service friends" }).waitFor();
    assert.equal(await staff.getByText("No application is waiting.").count(), 1);

    // The helper publishes an offer.
    await helper.goto(`/c/${slug}/service-friends/mine`);
    await helper.getByLabel("Service", { exact: true }).selectOption({ label: "TV set-up (at most CHF 80.00)" });
    await helper.getByLabel("Price (CHF)").fill("50");
    for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
      await helper.getByLabel(day, { exact: true }).check();
    await helper.getByLabel("Postal codes you serve").fill("8001, 8002");
    await helper.getByRole("button", { name: "Publish offer" }).click();
    await helper.getByRole("button", { name: "Withdraw" }).waitFor();

    // The customer finds the helper near 8001 and books the first free slot of the picker.
    const customer = await loggedIn(browser, baseURL, customerUser);
    await customer.goto(`/c/${slug}/service-friends`);
    await customer.getByLabel("Postal code").fill("8001");
    await customer.locator("main").getByRole("button", { name: "Search", exact: true }).click();
    await customer.getByRole("link", { name: "Book", exact: true }).click();
    await customer.locator("label.slot-option").first().click();
    await customer.getByLabel("What is the problem?").fill("The TV box shows error E-102 after the update.");
    await customer.getByLabel("Address").fill("Bahnhofstrasse 1, 8001 Zürich");
    await customer.getByLabel("Phone").fill("+41 44 123 45 67");
    await customer.getByRole("button", { name: "Send booking request" }).click();
    await customer.getByText("Waiting for the helper's answer.").waitFor();
    const bookingUrl = new URL(customer.url()).pathname;

    // The helper accepts; the address appears; they talk in the booking's thread.
    await helper.goto(bookingUrl);
    assert.equal(await helper.getByText("Bahnhofstrasse 1").count(), 0, "no address before accepting");
    await helper.getByRole("button", { name: "Accept" }).click();
    await helper.getByText("Bahnhofstrasse 1, 8001 Zürich").waitFor();
    await helper.getByLabel("Your message").fill("I will bring an HDMI cable.");
    await helper.getByRole("button", { name: "Send" }).click();
    await customer.goto(bookingUrl);
    await customer.getByText("I will bring an HDMI cable.").waitFor();
    await customer.getByLabel("Your message").fill("Thank you, see you then!");
    await customer.getByRole("button", { name: "Send" }).click();
    await customer.getByText("Thank you, see you then!").waitFor();

    // After the appointment the helper completes it, paid in cash; the customer confirms and reviews.
    env.clock.advance(4 * 24 * 3600_000);
    await helper.goto(bookingUrl);
    await helper.getByLabel("Cash").check();
    await helper.getByRole("button", { name: "Mark as completed" }).click();
    await helper.getByText("platform fee CHF 10.00 (20 %)").waitFor();
    await customer.goto(bookingUrl);
    await customer.getByRole("button", { name: "Confirm the payment" }).click();
    await customer.getByText("Confirmed by the customer").waitFor();
    await customer.getByLabel("★★★★★ 5").check();
    await customer.getByLabel("Your review", { exact: true }).fill("Fast, friendly and the TV works again.");
    await customer.getByRole("button", { name: "Post review" }).click();
    await customer.getByRole("heading", { name: "Your review" }).waitFor();

    // The rating shows on the helper's profile.
    await customer.getByRole("link", { name: "Hanna Helper" }).first().click();
    await customer.getByRole("heading", { level: 1, name: "Hanna Helper" }).waitFor();
    const profile = (await customer.locator("main").textContent()) ?? "";
    assert.match(profile, /5 \(1 review\)/);
    assert.match(profile, /Completed jobs: 1/);
    assert.match(profile, /Fast, friendly and the TV works again./);
    assert.match(profile, /✓ Service friend questionnaire/);
  } finally {
    await browser.close();
    await env.close();
  }
});
