import { test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, buildReply, buildTopic, createTestEnv } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";

test("an open topic page shows a new reply live and the bell count goes up", { timeout: 60_000 }, async () => {
  const env = await createTestEnv(DATABASES[0]);
  const browser = await launchChromium();
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = env.app.server.address() as AddressInfo;
    const { slug, members } = await buildCommunity(env, { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env, slug, asker, { title: "Live updates on my question" });

    const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
    const [name, value] = asker.cookie.split("=");
    await context.addCookies([{ name, value, domain: "127.0.0.1", path: "/" }]);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`/c/${slug}/t/${topic.id}`);
    const bell = page.locator("summary[data-bell]");
    assert.equal(await bell.getAttribute("aria-label"), "Notifications: 0 unread");
    await page.waitForFunction(() => document.documentElement.dataset.live === "connected");

    // Someone else answers while the page is open; the page is not reloaded.
    await page.evaluate(() => ((window as any).notReloaded = true));
    await buildReply(env, topic.id, helper, "Answer that arrives live over server-sent events.");
    await page.getByText("Answer that arrives live over server-sent events.").waitFor();
    await drainJobs(env); // the asker's "reply" notification is fanned out by the job queue
    await page.waitForFunction(() => document.querySelector("[data-unread]")?.textContent === "1");
    assert.equal(await bell.getAttribute("aria-label"), "Notifications: 1 unread");
    assert.equal(await page.evaluate(() => (window as any).notReloaded), true, "no reload happened");
    assert.match((await page.getByRole("status").first().textContent()) ?? "", /New activity/);
  } finally {
    await browser.close();
    await env.close();
  }
});
