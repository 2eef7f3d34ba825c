import { test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, buildReply, buildTopic, createTestEnv } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";

test("the bell's menu: open it, follow a notification, mark all read; on a desktop and a phone", {
  timeout: 90_000,
}, async () => {
  const env = await createTestEnv(DATABASES[0]);
  const browser = await launchChromium();
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = env.app.server.address() as AddressInfo;
    const { slug, members } = await buildCommunity(env, { members: { member: 2 } });
    const [asker, helper] = members.member;

    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      const title = `Router question seen at ${viewport.width} px`;
      const topic = await buildTopic(env, slug, asker, { title });
      await buildReply(env, topic.id, helper);
      await buildReply(env, topic.id, helper, "Also check the cable behind the router.");
      await drainJobs(env);

      const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, viewport });
      const [name, value] = asker.cookie.split("=");
      await context.addCookies([{ name, value, domain: "127.0.0.1", path: "/" }]);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`/c/${slug}`);
      const bell = page.locator("summary[data-bell]");
      assert.equal(await bell.getAttribute("aria-label"), "Notifications: 2 unread");
      assert.ok(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        "the header fits the width",
      );

      // Open with the keyboard; Escape closes it and gives focus back to the bell.
      await bell.focus();
      await page.keyboard.press("Enter");
      const panel = page.locator(".bell-panel");
      await panel.waitFor();
      const entry = panel.getByRole("link", { name: `2 new replies in “${title}”` });
      assert.ok(await entry.isVisible());
      const box = (await panel.boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `the menu fits at ${viewport.width} px`);
      await page.keyboard.press("Escape");
      await panel.waitFor({ state: "hidden" });
      assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute("data-bell")), true);

      // Follow the notification to its topic.
      await bell.click();
      await entry.click();
      await page.waitForURL(new RegExp(`/t/${topic.id}/`));
      await page.getByRole("heading", { name: title }).waitFor();

      // Mark all read from the bell: back on the same page, with a confirmation and no count.
      await bell.click();
      await page.locator(".bell-panel").getByRole("button", { name: "Mark all as read" }).click();
      await page.getByRole("status").filter({ hasText: "Notifications marked as read." }).waitFor();
      assert.match(page.url(), new RegExp(`/t/${topic.id}/.*\\?done=read`));
      assert.equal(await page.locator("summary[data-bell]").getAttribute("aria-label"), "Notifications: 0 unread");
      assert.equal(await page.locator("[data-unread]").isVisible(), false);
      if (viewport.width < 400) {
        // The narrowest phones: the header with the bell and the open menu still fit.
        await page.setViewportSize({ width: 320, height: 640 });
        await page.locator("summary[data-bell]").click();
        const narrow = (await page.locator(".bell-panel").boundingBox())!;
        assert.ok(
          narrow.x >= 0 && narrow.x + narrow.width <= 320,
          `the menu fits at 320 px: ${JSON.stringify(narrow)}`,
        );
        assert.ok(
          await page.evaluate(() => document.documentElement.scrollWidth <= 320),
          "no sideways scroll at 320 px",
        );
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await env.close();
  }
});
