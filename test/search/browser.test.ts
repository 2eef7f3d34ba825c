import { test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, createTestEnv } from "../helpers.ts";
import { postIndexed, roomyLimits } from "./support.ts";

async function waitFor<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await fn();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

test("typing a title shows similar questions (debounced); opening one and a search result is recorded", {
  timeout: 60_000,
}, async () => {
  const env = await createTestEnv(DATABASES[0], roomyLimits);
  const browser = await launchChromium();
  try {
    const { slug, community, members } = await buildCommunity(env, { members: { member: 2 } });
    const [asker, helper] = members.member;
    const solved = await postIndexed(env, slug, asker, helper, {
      title: "Router keeps rebooting every night",
      replies: ["Disable the nightly update."],
      accept: 0,
    });
    await postIndexed(env, slug, asker, helper, { title: "Voicemail greeting lost" });
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = env.app.server.address() as AddressInfo;
    // The member who is about to ask: signed in, on the real new-topic form.
    const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
    const [cookieName, cookieValue] = helper.cookie.split("=");
    await context.addCookies([{ name: cookieName, value: cookieValue, domain: "127.0.0.1", path: "/" }]);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const similarCalls: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/similar?")) similarCalls.push(r.url());
    });

    await page.goto(`/c/${slug}/new`);
    assert.equal(await page.locator("[data-similar] li").count(), 0, "nothing before typing");
    await page.getByLabel("Title").pressSequentially("my router reboots every night", { delay: 25 });
    const suggestion = page.getByRole("link", { name: "Router keeps rebooting every night" });
    await suggestion.waitFor();
    assert.ok(
      similarCalls.length >= 1 && similarCalls.length <= 3,
      `debounced: ${similarCalls.length} calls for 29 keystrokes`,
    );
    assert.equal(await page.getByRole("heading", { name: "Similar questions" }).count(), 1);
    assert.ok(
      !(await page.getByRole("link", { name: "Voicemail greeting lost" }).count()),
      "unrelated topics stay out",
    );
    const visitId = await page.locator("input[name=visitId]").inputValue();
    assert.match(visitId, /^[a-f0-9]{32}$/, "the form carries the visit id");

    await suggestion.click();
    await page.waitForURL(`**${solved.url}`);
    // This visit's events (the setup's posts recorded their own topic_posted events without a visit).
    const events = () =>
      env.deps.db
        .selectFrom("deflectionEvents")
        .select(["type", "visitId", "topicId"])
        .where("communityId", "=", community.id)
        .where("visitId", "=", visitId)
        .orderBy("id")
        .execute();
    const recorded = await waitFor(async () => {
      const rows = await events();
      return rows.some((r) => r.type === "suggestion_opened") ? rows : undefined;
    }, "suggestion_opened");
    assert.deepEqual(
      recorded.map((r) => [r.type, r.visitId, r.topicId]),
      [
        ["suggestion_shown", visitId, null],
        ["suggestion_opened", visitId, solved.id],
      ],
    );

    await page.goto(`/c/${slug}/search?q=router`);
    await page.getByRole("link", { name: "Router keeps rebooting every night" }).click();
    await page.waitForURL(`**${solved.url}`);
    await waitFor(
      async () =>
        (await events()).some((r) => r.type === "result_opened" && r.visitId === visitId && r.topicId === solved.id)
          ? true
          : undefined,
      "result_opened",
    );

    // The same visit posts after all: the form carries the visit id, so this visit is not deflected.
    await page.goto(`/c/${slug}/new`);
    await page.getByLabel("Title").fill("Router reboots even after the fix");
    await page.getByLabel("Details").fill("Still rebooting every night.");
    await page.getByRole("button", { name: "Post topic" }).click();
    await page.getByRole("heading", { level: 1, name: "Router reboots even after the fix" }).waitFor();
    assert.ok(
      (await events()).some((r) => r.type === "topic_posted"),
      "topic_posted tied to the visit",
    );

    // Without JavaScript the form is a plain form: no box content, nothing breaks.
    const plain = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, javaScriptEnabled: false });
    await plain.addCookies([{ name: cookieName, value: cookieValue, domain: "127.0.0.1", path: "/" }]);
    const noJs = await plain.newPage();
    await noJs.goto(`/c/${slug}/new`);
    await noJs.getByLabel("Title").fill("my router reboots every night");
    assert.equal(await noJs.locator("[data-similar] li").count(), 0);
    await noJs.getByLabel("Details").fill("Posted without JavaScript.");
    await noJs.getByRole("button", { name: "Post topic" }).click();
    await noJs.getByRole("heading", { level: 1, name: "my router reboots every night" }).waitFor();
    await plain.close();
  } finally {
    await browser.close();
    await env.close();
  }
});

test("the search page: a full-width query row, the filters in one row, no overflow on a 320 px phone", {
  timeout: 60_000,
}, async () => {
  const env = await createTestEnv(DATABASES[0], roomyLimits);
  const browser = await launchChromium();
  try {
    const { slug, members } = await buildCommunity(env, { members: { member: 2 } });
    await postIndexed(env, slug, members.member[0], members.member[1], { title: "Wi-Fi drops every evening" });
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = env.app.server.address() as AddressInfo;
    const box = async (page: import("playwright-core").Page, selector: string) => {
      const found = await page.locator(selector).first().boundingBox();
      assert.ok(found, selector);
      return found;
    };
    for (const width of [1280, 320]) {
      const context = await browser.newContext({
        baseURL: `http://127.0.0.1:${port}`,
        viewport: { width, height: 800 },
      });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`/c/${slug}/search?q=wifi`);
      await page.getByRole("link", { name: "Wi-Fi drops every evening" }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at ${width} px (${overflow} px too wide)`);
      const form = await box(page, "form.search-form");
      const query = await box(page, "form.search-form input[type=search]");
      assert.ok(query.width > form.width * 0.9, `the query spans the form at ${width} px`);
      assert.equal(
        await page.locator("form.search-form input[type=search]").evaluate((el) => getComputedStyle(el).height),
        "40px",
        "the query box is styled like every other input",
      );
      if (width === 1280) {
        const tops = new Set<number>();
        for (const id of ["s-kind", "s-status", "s-tag"]) tops.add(Math.round((await box(page, `#${id}`)).y));
        assert.equal(tops.size, 1, "the filters share one row on a desktop");
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await env.close();
  }
});
