import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, createTestEnv } from "../helpers.ts";

test("the editor in a real browser: draft kept over a reload, toolbar, image picked, previewed, posted as a thumbnail", {
  timeout: 90_000,
}, async () => {
  const env = await createTestEnv(DATABASES[0], { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-e2e-editor-")) });
  const browser = await launchChromium();
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const { slug, members } = await buildCommunity(env, { members: { member: 1 } });
    const member = members.member[0];
    const context = await browser.newContext({ baseURL, locale: "en-US" });
    await context.addCookies([{ name: "cs_session", value: member.cookie.replace(/^cs_session=/, ""), url: baseURL }]);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);

    // A draft survives a reload.
    await page.goto(`/c/${slug}/new`);
    const body = page.getByLabel("Details", { exact: true });
    await page.getByLabel("Title").fill("The router shows two red lights");
    await body.fill("The lights are red");
    await page.reload();
    await page.getByText("Your draft from this browser was restored.").waitFor();
    assert.equal(await body.inputValue(), "The lights are red");
    assert.equal(await page.getByLabel("Title").inputValue(), "The router shows two red lights");

    // The toolbar wraps the selection.
    await body.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(15, 18));
    await page.getByRole("button", { name: "Bold" }).click();
    assert.equal(await body.inputValue(), "The lights are **red**");

    // An image picked with the file picker is uploaded and its Markdown inserted.
    const image = await sharp({ create: { width: 1000, height: 800, channels: 3, background: "#c33" } })
      .jpeg()
      .toBuffer();
    await page
      .getByLabel("Attach an image")
      .setInputFiles({ name: "lights.jpg", mimeType: "image/jpeg", buffer: image });
    await page.getByText("The image was added to your text.").waitFor();
    assert.match(
      await body.inputValue(),
      /^The lights are \*\*red\*\*\n\n!\[lights\]\(\/uploads\/attachments\/[a-f0-9]{32}-1000x800\.webp\)/,
    );

    // The Preview tab shows it as the post will: a thumbnail.
    await page.getByRole("tab", { name: "Preview" }).click();
    const preview = page.getByRole("tabpanel");
    await preview.locator("strong", { hasText: "red" }).waitFor();
    const thumb = preview.locator("a.attachment img");
    await thumb.waitFor();
    assert.match((await thumb.getAttribute("src")) ?? "", /-thumb\.webp$/);
    await page.getByRole("tab", { name: "Write" }).click();

    await page.getByRole("button", { name: "Post topic" }).click();
    await page.getByRole("heading", { name: "The router shows two red lights" }).waitFor();
    const posted = page.locator(".prose a.attachment img").first();
    await posted.waitFor();
    assert.equal(await posted.getAttribute("width"), "640");
    assert.equal(await posted.getAttribute("height"), "512");
    assert.ok(await posted.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 640));

    // Posted, the draft is gone.
    await page.goto(`/c/${slug}/new`);
    assert.equal(await body.inputValue(), "");

    // Nothing overflows a 320 px phone.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`/c/${slug}/new`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320));
  } finally {
    await browser.close();
    await env.close();
  }
});
