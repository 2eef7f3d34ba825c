import { test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, buildTopic, createTestEnv, type TestUser } from "../helpers.ts";

/** A browser tab, signed in as the user when one is given. */
async function tab(browser: Browser, baseURL: string, user?: TestUser) {
  const context = await browser.newContext({ baseURL });
  if (user)
    await context.addCookies([{ name: "cs_session", value: user.cookie.replace(/^cs_session=/, ""), url: baseURL }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

test("the ideas board, a staff status change and a poll vote: in a real browser", { timeout: 60_000 }, async () => {
  const env = await createTestEnv(DATABASES[0]);
  const browser = await launchChromium();
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const { slug, members, categories } = await buildCommunity(env, {
      categories: ["Mobile", "TV"],
      members: { member: 2, staff: 1 },
    });
    const [author, voter] = members.member;
    const idea = await buildTopic(env, slug, author, {
      kind: "idea",
      title: "Share mobile data between family plans",
      categoryId: categories[0].id,
    });
    await buildTopic(env, slug, author, {
      kind: "idea",
      title: "Dark mode for the TV guide",
      categoryId: categories[1].id,
    });
    const poll = await env.api.post(
      `/api/v1/topics/${idea.id}/poll`,
      { options: ["Once a month", "Any time"] },
      author.auth,
    );
    assert.equal(poll.status, 201);

    // A visitor finds the board from the community and filters it.
    const visitor = await tab(browser, baseURL);
    await visitor.goto(`/c/${slug}`);
    await visitor.getByRole("link", { name: "Ideas", exact: true }).click();
    await visitor.getByRole("heading", { level: 1, name: /^Ideas for / }).waitFor();
    const fresh = visitor.locator("section", { has: visitor.getByRole("heading", { level: 2, name: /^New/ }) });
    assert.match((await fresh.textContent()) ?? "", /Share mobile data between family plans/);
    await visitor.getByLabel("Category").selectOption({ label: "TV" });
    await visitor.getByRole("button", { name: "Show" }).click();
    await visitor.waitForURL(/category=tv/);
    assert.equal(await visitor.getByText("Share mobile data between family plans").count(), 0);
    assert.equal(await visitor.getByText("Dark mode for the TV guide").count(), 1);

    // Staff move the idea on from its page, with a note.
    const staff = await tab(browser, baseURL, members.staff[0]);
    await staff.goto(`/c/${slug}/ideas`);
    await staff.getByRole("link", { name: "Share mobile data between family plans" }).click();
    await staff.getByLabel("Status").selectOption({ label: "Planned" });
    await staff.getByLabel("Public note").fill("Coming with the spring release.");
    await staff.getByRole("button", { name: "Update the status" }).click();
    const progress = staff.locator("#idea-status");
    await progress.getByText("Coming with the spring release.").waitFor();
    assert.match((await progress.textContent()) ?? "", new RegExp(`Planned[\\s\\S]*by ${members.staff[0].name}`));

    // The board shows it under Planned.
    await visitor.goto(`/c/${slug}/ideas`);
    const planned = visitor.locator("section", { has: visitor.getByRole("heading", { level: 2, name: /^Planned/ }) });
    assert.match((await planned.textContent()) ?? "", /Share mobile data between family plans/);

    // A member votes in the idea's poll and then sees the results.
    const member = await tab(browser, baseURL, voter);
    await member.goto(`/c/${slug}/t/${idea.id}`);
    await member.getByLabel("Any time").check();
    await member.getByRole("button", { name: "Vote", exact: true }).click();
    await member.getByText("1 member voted").waitFor();
    assert.equal(await member.getByRole("button", { name: "Change my vote" }).count(), 1);
  } finally {
    await browser.close();
    await env.close();
  }
});
