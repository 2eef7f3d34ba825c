import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, createTestEnv, type TestUser } from "../helpers.ts";

/** Draft, toolbar, an attached image, the preview and posting, in one tab of the given size. */
/** Returns the posted topic's address. */
async function editorFlow(page: Page, slug: string, title: string): Promise<string> {
  // A draft survives a reload.
  await page.goto(`/c/${slug}/new`);
  const body = page.getByLabel("Details", { exact: true });
  await page.getByLabel("Title").fill(title);
  await body.fill("The lights are red");
  await page.reload();
  await page.getByText("Your draft from this browser was restored.").waitFor();
  assert.equal(await body.inputValue(), "The lights are red");
  assert.equal(await page.getByLabel("Title").inputValue(), title);

  // The toolbar wraps the selection.
  await body.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(15, 18));
  await page.getByRole("button", { name: "Bold" }).click();
  assert.equal(await body.inputValue(), "The lights are **red**");

  // An image picked with the file picker is uploaded and its Markdown inserted.
  const image = await sharp({ create: { width: 1000, height: 800, channels: 3, background: "#c33" } })
    .jpeg()
    .toBuffer();
  await page.getByLabel("Attach an image").setInputFiles({ name: "lights.jpg", mimeType: "image/jpeg", buffer: image });
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
  // The keyboard moves between the tabs as the tabs pattern says: Home and End, arrows wrapping.
  const selected = () => page.locator('[role="tab"][aria-selected="true"]').textContent();
  await page.keyboard.press("Home");
  assert.equal(await selected(), "Write");
  await page.keyboard.press("End");
  assert.equal(await selected(), "Preview");
  await page.keyboard.press("ArrowRight");
  assert.equal(await selected(), "Write");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await selected(), "Preview");
  await page.getByRole("tab", { name: "Write" }).click();

  await page.getByRole("button", { name: "Post topic" }).click();
  await page.getByRole("heading", { name: title }).waitFor();
  const posted = page.locator(".prose a.attachment img").first();
  await posted.waitFor();
  assert.equal(await posted.getAttribute("width"), "640");
  assert.equal(await posted.getAttribute("height"), "512");
  assert.ok(await posted.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 640));
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no overflow");

  const topicUrl = page.url();

  // Posted, the draft is gone.
  await page.goto(`/c/${slug}/new`);
  assert.equal(await body.inputValue(), "");
  return topicUrl;
}

test("the editor in a real browser, on a desktop and a phone: draft kept over a reload, toolbar, image picked, previewed, posted as a thumbnail; a refused reply keeps its text", {
  timeout: 120_000,
}, async () => {
  const env = await createTestEnv(DATABASES[0], { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-e2e-editor-")) });
  const browser = await launchChromium();
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const { slug, members } = await buildCommunity(env, { members: { member: 2 } });
    const [member, newcomer] = members.member;
    const tab = async (user: TestUser, viewport: { width: number; height: number }) => {
      const context = await browser.newContext({ baseURL, locale: "en-US", viewport });
      await context.addCookies([{ name: "cs_session", value: user.cookie.replace(/^cs_session=/, ""), url: baseURL }]);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      return page;
    };
    // A shared computer: a draft left by one member is not offered to the next one signed in there.
    const shared = await tab(member, { width: 1280, height: 800 });
    await shared.goto(`/c/${slug}/new`);
    await shared.getByLabel("Details", { exact: true }).fill("My customer number is 4711");
    await shared
      .context()
      .addCookies([{ name: "cs_session", value: newcomer.cookie.replace(/^cs_session=/, ""), url: baseURL }]);
    await shared.goto(`/c/${slug}/new`);
    assert.equal(await shared.getByLabel("Details", { exact: true }).inputValue(), "", "another member's draft");
    await shared
      .context()
      .addCookies([{ name: "cs_session", value: member.cookie.replace(/^cs_session=/, ""), url: baseURL }]);
    await shared.goto(`/c/${slug}/new`);
    await shared.getByText("Your draft from this browser was restored.").waitFor();
    assert.equal(await shared.getByLabel("Details", { exact: true }).inputValue(), "My customer number is 4711");
    await shared.context().close();

    for (const [name, viewport] of [
      ["desktop", { width: 1280, height: 800 }],
      ["phone", { width: 390, height: 844 }],
    ] as const) {
      const page = await tab(member, viewport);
      const topicUrl = await editorFlow(page, slug, `The router shows two red lights (${name})`);

      // A reply with a link from a newcomer is refused on the topic page, with the text kept and the reason beside it.
      const asNewcomer = await tab(newcomer, viewport);
      await asNewcomer.goto(topicUrl);
      const text = `Try [the reset guide](https://example.com/reset) first (${name}).`;
      const reply = asNewcomer.getByLabel("Your reply");
      await reply.fill(text);
      await asNewcomer.getByRole("button", { name: "Post reply" }).click();
      await asNewcomer.getByText("New members cannot post links yet", { exact: false }).first().waitFor();
      assert.equal(await asNewcomer.getByLabel("Your reply").inputValue(), text, `${name}: the text is kept`);
      assert.ok(
        await asNewcomer.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        `${name}: no overflow`,
      );
    }
  } finally {
    await browser.close();
    await env.close();
  }
});
