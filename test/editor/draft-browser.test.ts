import { test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import type { BrowserContext } from "playwright-core";
import { launchChromium } from "../browser.ts";
import { DATABASES, type TestEnv, type TestUser, buildCommunity, buildTopic, createTestEnv } from "../helpers.ts";

interface Session {
  env: TestEnv;
  slug: string;
  author: TestUser;
  moderator: TestUser;
  /** The author's browser, in English. */
  context: BrowserContext;
}

/** The app listening on a port, a community with an author and a moderator, and the author's browser. */
async function inBrowser(run: (session: Session) => Promise<void>): Promise<void> {
  const env = await createTestEnv(DATABASES[0]);
  const browser = await launchChromium();
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const { slug, members } = await buildCommunity(env, { members: { member: 1, moderator: 1 } });
    const [author] = members.member;
    const [moderator] = members.moderator;
    const context = await browser.newContext({ baseURL, locale: "en-US" });
    context.setDefaultTimeout(10_000);
    await context.addCookies([{ name: "cs_session", value: author.cookie.replace(/^cs_session=/, ""), url: baseURL }]);
    await run({ env, slug, author, moderator, context });
  } finally {
    await browser.close();
    await env.close();
  }
}

test(
  "an edit's draft is restored while the post is unchanged, not over a moderator's later edit",
  {
    timeout: 60_000,
  },
  () =>
    inBrowser(async ({ env, slug, author, moderator, context }) => {
      const topic = await buildTopic(env, slug, author, { body: "Call me on 0170 1234567 about the router." });
      const page = await context.newPage();
      const body = page.getByLabel("Details", { exact: true });

      // The author starts an edit and leaves it: the draft comes back while the post is as it was.
      await page.goto(`/c/${slug}/t/${topic.id}/edit`);
      await body.fill("Call me on 0170 1234567 about the router, it still blinks.");
      await page.reload();
      await page.getByText("Your draft from this browser was restored.").waitFor();
      assert.equal(await body.inputValue(), "Call me on 0170 1234567 about the router, it still blinks.");

      // A moderator removes the phone number meanwhile: the edit form shows the post as it is now.
      const redacted = "Call me about the router (number removed by a moderator).";
      const edit = await env.api.patch(`/api/v1/topics/${topic.id}`, { body: redacted }, moderator.auth);
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      await page.goto(`/c/${slug}/t/${topic.id}/edit`);
      await page.getByText("This post was changed after your draft from this browser").waitFor();
      assert.equal(await body.inputValue(), redacted, "the stale draft is not put over the moderator's edit");

      // A draft begun on the post as it is now comes back as usual.
      await body.fill(`${redacted} Solved by a reset.`);
      await page.reload();
      await page.getByText("Your draft from this browser was restored.").waitFor();
      assert.equal(await body.inputValue(), `${redacted} Solved by a reset.`);
    }),
);

test(
  "a reply's draft survives a send that ends on an error page, and goes once a send goes through",
  {
    timeout: 60_000,
  },
  () =>
    inBrowser(async ({ env, slug, author, context }) => {
      const topic = await buildTopic(env, slug, author);
      const page = await context.newPage();
      const reply = page.getByLabel("Your reply");
      const text = "Unplugging it for a minute did it for me.";
      await page.goto(`/c/${slug}/t/${topic.id}`);
      await reply.fill(text);

      // The page stayed open too long: its CSRF token no longer matches, and the send ends on a 403 page.
      await page.locator("form:has([data-editor]) input[name=_csrf]").evaluate((el: HTMLInputElement) => {
        el.value = "expired";
      });
      const [refused] = await Promise.all([
        page.waitForResponse((res) => res.request().method() === "POST"),
        page.getByRole("button", { name: "Post reply" }).click(),
      ]);
      assert.equal(refused.status(), 403);
      await page.waitForLoadState();
      await page.goto(`/c/${slug}/t/${topic.id}`);
      await page.getByText("Your draft from this browser was restored.").waitFor();
      assert.equal(await reply.inputValue(), text, "the text typed is kept");

      // Sent again with the page's own token, the reply goes through and its draft goes.
      await page.getByRole("button", { name: "Post reply" }).click();
      await page.locator(".prose", { hasText: text }).first().waitFor();
      await page.goto(`/c/${slug}/t/${topic.id}`);
      assert.equal(await reply.inputValue(), "");
      assert.equal(await page.evaluate(() => localStorage.length), 0);
    }),
);

test(
  "a form open in two tabs: a tab does not save over the draft the other tab changed, and says so",
  {
    timeout: 60_000,
  },
  () =>
    inBrowser(async ({ slug, context }) => {
      const [first, second] = [await context.newPage(), await context.newPage()];
      for (const page of [first, second]) await page.goto(`/c/${slug}/new`);
      const told = "This draft was changed in another tab";

      await first.getByLabel("Details", { exact: true }).fill("Typed in the first tab.");
      const key = await first.evaluate(() => Object.keys(localStorage).find((name) => name.startsWith("cs-draft:")));
      assert.ok(key);
      const draft = () => first.evaluate((name) => JSON.parse(localStorage.getItem(name) ?? "{}").body, key);
      await second.getByRole("status").getByText(told).waitFor();
      await second.getByLabel("Details", { exact: true }).fill("Typed in the second tab.");
      assert.equal(await draft(), "Typed in the first tab.", "the second tab did not overwrite it");

      // A change this tab was not told of (a storage event missed) is found when it saves.
      await first.evaluate((name) => localStorage.setItem(name, JSON.stringify({ body: "Elsewhere" })), key);
      await first.getByLabel("Details", { exact: true }).fill("Typed in the first tab again.");
      await first.getByRole("status").getByText(told).waitFor();
      assert.equal(await draft(), "Elsewhere");
    }),
);
