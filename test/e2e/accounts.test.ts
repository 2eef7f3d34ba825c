import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { launchChromium, waitUntilSignedIn } from "../browser.ts";
import sharp from "sharp";
import { DATABASES, TEST_PASSWORD, buildUser, createTestEnv, type TestEnv } from "../helpers.ts";
import { runDueJobs } from "../../src/jobs/jobs.ts";
import { buildJobRegistry } from "../../src/app/jobs.ts";
import { outboxDir } from "../../src/notifications/email.ts";

/** The path of the first link to `prefix` in the outbox's emails to `address` (as a mail client shows it). */
function linkInOutbox(env: TestEnv, address: string, prefix: string): string {
  const dir = outboxDir(env.deps.config);
  for (const file of fs.readdirSync(dir).sort().reverse()) {
    const raw = fs.readFileSync(path.join(dir, file), "utf8");
    if (!raw.includes(`To: ${address}`)) continue;
    // Quoted-printable: joined soft line breaks, decoded "=".
    const text = raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
    const match = new RegExp(`https?://[^/\\s]+(${prefix}/[A-Za-z0-9_.%-]+)`).exec(text);
    if (match) return match[1];
  }
  throw new Error(`no ${prefix} link to ${address} in the outbox`);
}

async function withApp(run: (env: TestEnv, browser: Browser, baseURL: string) => Promise<void>): Promise<void> {
  const env = await createTestEnv(DATABASES[0], { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-e2e-acct-")) });
  const browser = await launchChromium();
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    await run(env, browser, baseURL);
  } finally {
    await browser.close();
    await env.close();
  }
}

test("password reset from the email in the outbox, then log in with the new password", {
  timeout: 90_000,
}, async () => {
  await withApp(async (env, browser, baseURL) => {
    const user = await buildUser(env, { name: "Rita Reset" });
    const page = await (await browser.newContext({ baseURL, locale: "en-US" })).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByLabel("Email").fill(user.email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByText("If an account uses this address, a link is on its way.").waitFor();

    await runDueJobs(env.deps, buildJobRegistry());
    await page.goto(linkInOutbox(env, user.email, "/password-reset"));
    await page.getByLabel("New password", { exact: true }).fill("fresh-and-long-passphrase");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByText("Your password was changed and every session ended.").waitFor();

    await page.getByRole("link", { name: "Log in" }).first().click();
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Email or password is incorrect.").waitFor();
    await page.getByLabel("Password").fill("fresh-and-long-passphrase");
    await page.getByRole("button", { name: "Log in" }).click();
    await waitUntilSignedIn(page);
  });
});

test("language: the anonymous switcher, then the account's language over the browser's", {
  timeout: 90_000,
}, async () => {
  await withApp(async (env, browser, baseURL) => {
    const user = await buildUser(env, { name: "Lukas Language" });
    const page = await (await browser.newContext({ baseURL, locale: "en-US" })).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto("/");
    await page.locator("details.language-menu > summary").click();
    await page.getByRole("link", { name: "Français" }).click();
    await page.getByRole("link", { name: "Se connecter" }).first().waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "fr");
    await page.reload();
    assert.equal(await page.locator("html").getAttribute("lang"), "fr", "remembered");

    await page.goto("/login");
    await page.getByLabel("E-mail").fill(user.email);
    await page.getByLabel("Mot de passe").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.goto("/me/account");
    await page.locator("form[action='/me/account/language'] select").selectOption("de");
    await page.locator("form[action='/me/account/language'] button").click();
    await page.getByText("Deine Sprache wurde gespeichert.").waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "de");
    await page.goto("/");
    assert.equal(await page.locator("html").getAttribute("lang"), "de", "the account wins over cookie and browser");
    await page.locator(".user-menu summary").click();
    await page.getByRole("link", { name: "Konto" }).click();
    await page.getByRole("heading", { name: "Dein Konto" }).waitFor();
  });
});

test("uploading an avatar shows it on the account page and in the header", { timeout: 90_000 }, async () => {
  await withApp(async (env, browser, baseURL) => {
    const user = await buildUser(env, { name: "Anna Avatar" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-avatar-"));
    const file = path.join(dir, "me.png");
    await sharp({ create: { width: 400, height: 300, channels: 3, background: "#118844" } })
      .png()
      .toFile(file);
    const page = await (await browser.newContext({ baseURL, locale: "en-US" })).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.goto("/me/account");
    assert.equal(await page.locator(".user-menu summary .face").textContent(), "AA", "initials before");

    const notImage = path.join(dir, "notes.png");
    fs.writeFileSync(notImage, "just text");
    await page.getByLabel("Image (JPEG, PNG, WebP or GIF, at most 5 MB)").setInputFiles(notImage);
    await page.getByRole("button", { name: "Upload avatar" }).click();
    await page.getByText("Choose a JPEG, PNG, WebP or GIF image of at most 25 megapixels.").first().waitFor();

    await page.getByLabel("Image (JPEG, PNG, WebP or GIF, at most 5 MB)").setInputFiles(file);
    await page.getByRole("button", { name: "Upload avatar" }).click();
    await page.getByText("Your avatar was saved.").waitFor();
    const big = page.locator("#avatar-title + p img.face-xl");
    const src = await big.getAttribute("src");
    assert.match(String(src), /^\/uploads\/avatars\/[0-9a-f]{32}-256\.webp$/);
    const width = await big.evaluate((img: HTMLImageElement) => img.naturalWidth);
    assert.equal(width, 256, "the image loads, square");
    assert.match(String(await page.locator(".user-menu summary img.face").getAttribute("src")), /-64\.webp$/);
  });
});
