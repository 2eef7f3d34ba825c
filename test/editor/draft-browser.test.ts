import { test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, buildTopic, createTestEnv } from "../helpers.ts";

test("an edit's draft is restored while the post is unchanged, not over a moderator's later edit", {
  timeout: 60_000,
}, async () => {
  const env = await createTestEnv(DATABASES[0]);
  const browser = await launchChromium();
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const { slug, members } = await buildCommunity(env, { members: { member: 1, moderator: 1 } });
    const [author] = members.member;
    const [moderator] = members.moderator;
    const topic = await buildTopic(env, slug, author, { body: "Call me on 0170 1234567 about the router." });
    const context = await browser.newContext({ baseURL, locale: "en-US" });
    await context.addCookies([{ name: "cs_session", value: author.cookie.replace(/^cs_session=/, ""), url: baseURL }]);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
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
  } finally {
    await browser.close();
    await env.close();
  }
});
