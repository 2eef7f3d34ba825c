import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../browser.ts";
import { DATABASES, createTestEnv } from "../helpers.ts";
import { seedDemoIfEmpty } from "../../src/app/demo.seed.ts";
import { createSession } from "../../src/accounts/accounts.service.ts";

const SECTIONS = ["Topics", "Ideas", "Knowledge base", "Service friends", "Academy", "Leaderboard"];

async function tab(browser: Browser, baseURL: string, width: number, session?: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width, height: 844 } });
  if (session) await context.addCookies([{ name: "cs_session", value: session, url: baseURL }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** Goes through every section from the tab bar, checking that each marks itself as the current one. */
async function walkTabs(page: Page): Promise<void> {
  await page.goto("/c/demo");
  const bar = page.getByRole("navigation", { name: "Community sections" });
  for (const name of SECTIONS) {
    await bar.getByRole("link", { name, exact: true }).click();
    await page.waitForLoadState();
    const current = bar.locator('a[aria-current="page"]');
    assert.equal(await current.textContent(), name);
  }
}

/** The pages the admin's Manage menu links, each opened from the menu. */
async function walkManageMenu(page: Page): Promise<string[]> {
  await page.goto("/c/demo");
  const menu = page.getByRole("navigation", { name: "Manage this community" });
  assert.equal(await menu.isVisible(), false, "the menu starts closed");
  await page.locator("details.manage-menu > summary").click();
  const links = await menu
    .getByRole("link")
    .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href") ?? "", name: a.textContent ?? "" })));
  for (const link of links) {
    await page.goto("/c/demo");
    await page.locator("details.manage-menu > summary").click();
    const [response] = await Promise.all([
      page.waitForNavigation(),
      menu.getByRole("link", { name: link.name, exact: true }).click(),
    ]);
    assert.equal(response?.status(), 200, link.href);
    assert.ok(page.url().endsWith(link.href), `${page.url()} is ${link.href}`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
  }
  return links.map((l) => l.href);
}

/** How far the page is wider than the window (0: no horizontal scrolling). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("the tab bar and the Manage menu reach every section and staff page, on desktop and on phones", {
  timeout: 600_000,
}, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-nav-"));
  const env = await createTestEnv(DATABASES[0], { dataDir });
  const browser = await launchChromium();
  try {
    await seedDemoIfEmpty(env.deps);
    const admin = await env.deps.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", "admin@demo.test")
      .executeTakeFirstOrThrow();
    const session = await createSession(env.deps, admin.id);
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;

    // A visitor on a desktop and the admin on a 390 px phone go through every section.
    await walkTabs(await tab(browser, baseURL, 1280));
    const phone = await tab(browser, baseURL, 390, session);
    await walkTabs(phone);

    // On the phone, the tabs are one row and the first topic is not pushed down by buttons.
    await phone.goto("/c/demo");
    const bar = await phone.locator(".community-bar").boundingBox();
    assert.ok(bar && bar.height < 60, `the bar is one row (${bar?.height} px)`);
    const head = await phone.locator(".head-actions").boundingBox();
    assert.ok(head && head.height < 60, `the page's own actions are one row (${head?.height} px)`);
    assert.equal(await overflow(phone), 0);
    // The site header is two rows on a phone (brand and account tools, then search), for the admin and
    // for a visitor, whose language menu and account links share the brand's row.
    const visitor = await tab(browser, baseURL, 390);
    await visitor.goto("/c/demo");
    for (const [who, page] of [
      ["admin", phone],
      ["visitor", visitor],
    ] as const) {
      const header = await page.locator(".site-header").boundingBox();
      assert.ok(header && header.height < 120, `${who}: the header is two rows (${header?.height} px)`);
    }
    await visitor.locator("details.language-menu > summary").click();
    await visitor.getByRole("link", { name: "Deutsch" }).click();
    await visitor.waitForLoadState();
    assert.equal(await visitor.locator("html").getAttribute("lang"), "de", "the language menu switches");

    // The admin reaches every page of the Manage menu, on a desktop and on the phone.
    const desktop = await tab(browser, baseURL, 1280, session);
    const reached = await walkManageMenu(desktop);
    for (const href of ["/c/demo/review-queue", "/c/demo/staff", "/c/demo/insights", "/c/demo/settings"])
      assert.ok(reached.includes(href), href);
    assert.deepEqual(await walkManageMenu(phone), reached);

    // At 320 px nothing overflows, the Manage menu open included.
    const narrow = await tab(browser, baseURL, 320, session);
    for (const url of [
      "/c/demo",
      "/c/demo/categories",
      "/c/demo/ideas",
      "/c/demo/kb",
      "/c/demo/service-friends",
      "/c/demo/academy",
      "/c/demo/leaderboard",
    ]) {
      await narrow.goto(url);
      assert.equal(await overflow(narrow), 0, url);
      await narrow.locator("details.manage-menu > summary").click();
      const menu = await narrow.getByRole("navigation", { name: "Manage this community" }).boundingBox();
      assert.ok(menu && menu.x >= 0 && menu.x + menu.width <= 320, `${url}: the open menu fits`);
      assert.equal(await overflow(narrow), 0, `${url} with the menu open`);
    }

    // Every page with tables (the Manage menu's pages among them): at 320 px each table is a stack of
    // cards that fits, so neither the page nor a table's own box scrolls sideways.
    for (const url of [...reached, "/c/demo/leaderboard", "/me/notifications/settings"]) {
      await narrow.goto(url);
      assert.equal(await overflow(narrow), 0, url);
      const wide = await narrow.evaluate(
        () => [...document.querySelectorAll(".table-wrap")].filter((w) => w.scrollWidth > w.clientWidth).length,
      );
      assert.equal(wide, 0, `${url}: every table fits`);
    }
    await narrow.goto("/c/demo/leaderboard");
    const cell = narrow.locator("table[data-cards] tbody td").first();
    assert.equal(await cell.evaluate((td) => getComputedStyle(td).display), "block", "rows are cards");
    assert.equal(await cell.getAttribute("data-label"), "#");
  } finally {
    await browser.close();
    await env.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
