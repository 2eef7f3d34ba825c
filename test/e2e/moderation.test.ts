import { test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, buildReply, buildTopic, createTestEnv, type TestUser } from "../helpers.ts";

/** A browser tab signed in as the user (their session cookie set on the test server). */
async function signedIn(browser: Browser, baseURL: string, user: TestUser) {
  const context = await browser.newContext({ baseURL });
  await context.addCookies([{ name: "cs_session", value: user.cookie.replace(/^cs_session=/, ""), url: baseURL }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

test("flag a reply, review it, hide it: in a real browser", { timeout: 60_000 }, async () => {
  const env = await createTestEnv(DATABASES[0]);
  const browser = await launchChromium();
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const { slug, members } = await buildCommunity(env, { members: { member: 3, moderator: 1 } });
    const [asker, spammer, flagger] = members.member;
    const topic = await buildTopic(env, slug, asker, { title: "Remote control stopped pairing" });
    const reply = await buildReply(env, topic.id, spammer, "Forget the remote, buy a cheap phone from my shop!");
    const topicUrl = `/c/${slug}/t/${topic.id}`;

    // A member flags the reply from the topic page.
    const member = await signedIn(browser, baseURL, flagger);
    await member.goto(topicUrl);
    const spam = member.locator(`#reply-${reply.id}`);
    await spam.getByText("Flag", { exact: true }).click();
    await spam.getByLabel("Spam").check();
    await spam.getByLabel("Details (required for “other”)").fill("Advertising a shop");
    await spam.getByRole("button", { name: "Send flag" }).click();
    // Back on the topic, at the flagged reply, with a thank-you.
    await member.getByRole("status").filter({ hasText: "Thanks for flagging" }).waitFor();
    assert.ok(member.url().endsWith(`?done=flagged#reply-${reply.id}`), member.url());

    // The moderator finds it in the review queue, with the flag, and hides it.
    const moderator = await signedIn(browser, baseURL, members.moderator[0]);
    await moderator.goto(`/c/${slug}`);
    await moderator.locator("details.manage-menu > summary").click();
    await moderator.getByRole("link", { name: "Review queue" }).click();
    const item = moderator.getByRole("article").filter({ hasText: "buy a cheap phone" });
    await item.waitFor();
    assert.match((await item.textContent()) ?? "", /Advertising a shop/);
    await item.getByLabel("Note for the author (optional; required to warn)").fill("No advertising, please");
    await item.getByRole("button", { name: "Hide" }).click();
    await moderator.getByText("Nothing to review.").waitFor();

    // Readers no longer see it; its author sees it marked hidden.
    await member.goto(topicUrl);
    await member.getByRole("heading", { level: 1, name: "Remote control stopped pairing" }).waitFor();
    assert.equal(await member.getByText("buy a cheap phone").count(), 0);
    const author = await signedIn(browser, baseURL, spammer);
    await author.goto(topicUrl);
    const own = author.locator(`#reply-${reply.id}`);
    await own.waitFor();
    assert.match((await own.textContent()) ?? "", /Hidden/);
    const state = await env.deps.db
      .selectFrom("replies")
      .select("moderationState")
      .where("id", "=", reply.id)
      .executeTakeFirstOrThrow();
    assert.equal(state.moderationState, "hidden");
  } finally {
    await browser.close();
    await env.close();
  }
});
