import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { launchChromium } from "../browser.ts";
import { DATABASES, createTestEnv } from "../helpers.ts";
import { roomyLimits } from "../routing/support.ts";
import { buildInsightsFixture } from "./support.ts";

test("staff open Insights from the community, change the range and download the CSV", { timeout: 90_000 }, async () => {
  const env = await createTestEnv(DATABASES[0], roomyLimits);
  const browser = await launchChromium();
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const f = await buildInsightsFixture(env);
    const context = await browser.newContext({ baseURL, acceptDownloads: true });
    await context.addCookies([{ name: "cs_session", value: f.staff.cookie.replace(/^cs_session=/, ""), url: baseURL }]);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const figure = (label: string) =>
      page
        .locator(".figure", { has: page.locator(".figure-label", { hasText: new RegExp(`^${label}$`) }) })
        .locator(".figure-value");

    await page.goto(`/c/${f.slug}`);
    await page.locator("details.manage-menu > summary").click();
    await page
      .getByRole("navigation", { name: "Manage this community" })
      .getByRole("link", { name: "Insights" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Insights" }).waitFor();
    // The last 30 days in Zurich (today is 2026-01-12 there): every topic of the fixture, T6 included.
    assert.match((await page.locator(".lead").textContent()) ?? "", /2025-12-14 to 2026-01-12/);
    assert.equal(await figure("Topics").textContent(), "7");
    assert.equal(await page.getByRole("img", { name: "Topics" }).count(), 1, "the chart is named for screen readers");

    await page.getByLabel("Range", { exact: true }).selectOption("custom");
    await page.getByLabel("From", { exact: true }).fill("2026-01-10");
    await page.getByLabel("To", { exact: true }).fill("2026-01-11");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/range=custom/);
    assert.match((await page.locator(".lead").textContent()) ?? "", /2026-01-10 to 2026-01-11/);
    assert.equal(await figure("Topics").textContent(), "5");
    assert.equal(await figure("Answer rate").textContent(), "50%");
    assert.equal(await figure("Deflected contacts").textContent(), "1");
    assert.match((await page.locator(".roi").textContent()) ?? "", /€\s?10\.00|10\.00\s?€/, "net savings in euros");
    // Unanswered, oldest first: T3 (its only reply deleted), then T5 (only its asker replied).
    assert.deepEqual(await page.locator(".waiting a").allTextContents(), [
      "Decoder freezes every morning",
      "Invoice missing this month",
    ]);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `insights-${f.slug}-2026-01-10-2026-01-11-day.csv`);
    const csv = await fs.readFile((await download.path()) as string, "utf8");
    const lines = csv.trim().split("\r\n");
    assert.equal(lines.length, 3, csv);
    assert.match(lines[0], /^date,topics,questions,answered,answerRate/);
    assert.match(lines[1], /^2026-01-10,2,2,2,1,/);
    assert.match(lines[2], /^2026-01-11,3,2,0,0,/);
  } finally {
    await browser.close();
    await env.close();
  }
});
