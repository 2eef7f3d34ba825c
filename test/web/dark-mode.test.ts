import { test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, createTestEnv } from "../helpers.ts";

test("dark mode follows the system, and the footer toggle overrides it on this browser, on a desktop and a phone", {
  timeout: 60_000,
}, async () => {
  const env = await createTestEnv(DATABASES[0]);
  const browser = await launchChromium();
  try {
    const { slug } = await buildCommunity(env);
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = env.app.server.address() as AddressInfo;
    const background = (page: import("playwright-core").Page) =>
      page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

    const light = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, colorScheme: "light" });
    const lightPage = await light.newPage();
    await lightPage.goto(`/c/${slug}`);
    assert.equal(await background(lightPage), "rgb(246, 247, 249)");

    const dark = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, colorScheme: "dark" });
    const page = await dark.newPage();
    await page.goto(`/c/${slug}`);
    assert.equal(await background(page), "rgb(13, 17, 23)", "a dark system gets the dark theme");
    const toggle = page.getByRole("button", { name: "Dark mode" });
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");

    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    assert.equal(await background(page), "rgb(246, 247, 249)", "the toggle switches to light at once");
    await page.reload();
    assert.equal(await background(page), "rgb(246, 247, 249)", "the choice is kept across pages");
    await page.getByRole("button", { name: "Dark mode" }).click();
    await page.reload();
    assert.equal(await background(page), "rgb(13, 17, 23)");

    // On a phone too: the system's dark scheme, and the toggle within reach in the footer.
    const phone = await (
      await browser.newContext({
        baseURL: `http://127.0.0.1:${port}`,
        colorScheme: "dark",
        viewport: { width: 390, height: 844 },
      })
    ).newPage();
    await phone.goto(`/c/${slug}`);
    assert.equal(await background(phone), "rgb(13, 17, 23)");
    await phone.getByRole("button", { name: "Dark mode" }).click();
    assert.equal(await background(phone), "rgb(246, 247, 249)");
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));

    // Without JavaScript the toggle could do nothing, so it is not shown; the system's scheme applies.
    const noScript = await browser.newContext({
      baseURL: `http://127.0.0.1:${port}`,
      colorScheme: "dark",
      javaScriptEnabled: false,
    });
    const plain = await noScript.newPage();
    await plain.goto(`/c/${slug}`);
    assert.equal(await plain.getByRole("button", { name: "Dark mode" }).count(), 0);
  } finally {
    await browser.close();
    await env.close();
  }
});
