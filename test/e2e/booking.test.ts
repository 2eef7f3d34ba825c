import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, createTestEnv } from "../helpers.ts";
import { approvedHelper, createOffer, createService } from "../marketplace/support.ts";
import { createSession } from "../../src/accounts/accounts.service.ts";

/** A tab of the given width, signed in with the session. */
async function tab(browser: Browser, baseURL: string, width: number, session: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: "en-US", viewport: { width, height: 844 } });
  await context.addCookies([{ name: "cs_session", value: session, url: baseURL }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** How far the page is wider than the window (0: no horizontal scrolling). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("booking through the slot picker, on a desktop and on a 390 px phone", { timeout: 120_000 }, async () => {
  const env = await createTestEnv(DATABASES[0], { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-book-")) });
  const browser = await launchChromium();
  try {
    const { slug, admin, members } = await buildCommunity(env, { members: { member: 1 } });
    const customer = members.member[0];
    const service = await createService(env, slug, admin);
    const { user: helper } = await approvedHelper(env, slug, admin);
    const offer = await createOffer(env, slug, helper, service.id);
    const session = await createSession(env.deps, customer.id);
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;

    for (const [width, day] of [
      [1280, 1],
      [390, 2],
    ]) {
      const page = await tab(browser, baseURL, width, session);
      await page.goto(`/c/${slug}/offers/${offer.id}/book`);
      assert.equal(await overflow(page), 0, `no horizontal scrolling at ${width} px`);
      const picker = page.getByRole("group", { name: "Free times" });
      const days = picker.locator("details.slot-day");
      assert.equal(await days.count(), 14, "two weeks of days");

      // Sent without a slot, the form says what to do and keeps what was typed.
      await page.getByLabel("What is the problem?").fill("The TV box shows error E-102 after the update.");
      await page.getByRole("button", { name: "Send booking request" }).click();
      await page.getByText("Pick one of the free slots.").first().waitFor();
      assert.equal(
        await page.getByLabel("What is the problem?").inputValue(),
        "The TV box shows error E-102 after the update.",
      );

      // A later day unfolds; its first free hour is picked.
      const fold = picker.locator("details.slot-day").nth(day);
      await fold.locator("summary").click();
      const slot = fold.locator('input[name="slot"]').first();
      await fold.locator("label.slot-option").first().click();
      assert.equal(await slot.isChecked(), true);
      assert.equal(await overflow(page), 0, `still no horizontal scrolling at ${width} px with a day open`);
      const [startsAt, endsAt] = (await slot.getAttribute("value"))!.split("/");
      await page.getByLabel("Address").fill("Bahnhofstrasse 1, 8001 Zürich");
      await page.getByLabel("Phone").fill("+41 44 123 45 67");
      await page.getByRole("button", { name: "Send booking request" }).click();
      await page.getByText("Waiting for the helper's answer.").waitFor();
      assert.equal(await overflow(page), 0, `the booking page fits ${width} px`);

      const id = Number(new URL(page.url()).pathname.split("/").pop());
      const { booking } = (await env.api.get(`/api/v1/bookings/${id}`, customer.auth)).body;
      assert.deepEqual([booking.startsAt, booking.endsAt], [startsAt, endsAt], "the picked slot was booked");
      await page.context().close();
    }
  } finally {
    await browser.close();
    await env.close();
  }
});
