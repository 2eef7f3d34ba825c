import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, buildReply, buildTopic, buildUser, createTestEnv } from "../helpers.ts";
import { roomyLimits } from "../routing/support.ts";

/** The company's own page, on another origin (another port), in German, with CSS that would break a plain widget. */
const hostPage = (scriptUrl: string) => `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Hilfe</title>
<style>input { display: none !important; } label, a { font-size: 40px; color: red; }</style></head>
<body><h1>Hilfe-Center</h1><script src="${scriptUrl}" async></script></body></html>`;

function serveHostPage(html: string): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test("the widget on another origin's page: answers as you type, then asks the community", {
  timeout: 90_000,
}, async () => {
  const env = await createTestEnv(DATABASES[0], roomyLimits);
  const browser = await launchChromium();
  let host: http.Server | undefined;
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const appUrl = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const { slug, admin, community } = await buildCommunity(env);
    const solved = await buildTopic(env, slug, admin, { title: "Router blinks red after the firmware update" });
    const answer = await buildReply(
      env,
      solved.id,
      await buildUser(env),
      "Unplug it for a minute, then it updates again.",
    );
    assert.equal(
      (await env.api.post(`/api/v1/topics/${solved.id}/accept`, { replyId: answer.id }, admin.auth)).status,
      200,
    );
    await buildTopic(env, slug, admin, {
      title: "Which channels are in the basic TV package?",
      body: "I would like to know before I order.",
    });

    host = await serveHostPage(hostPage(`${appUrl}/c/${slug}/widget.js`));
    const hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    const origins = await env.api.put(
      `/api/v1/communities/${slug}/allowed-origins`,
      { allowedOrigins: [hostUrl] },
      admin.auth,
    );
    assert.equal(origins.status, 200);

    // The visitor is signed in to the community (its cookie is the app's); the widget must not send it.
    const member = await buildUser(env, { name: "Greta" });
    const context = await browser.newContext();
    await context.addCookies([{ name: "cs_session", value: member.cookie.replace(/^cs_session=/, ""), url: appUrl }]);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${hostUrl}/`);

    const box = page.getByRole("searchbox", { name: `Die Community ${community.name} durchsuchen` });
    assert.ok(await box.isVisible(), "the host page's `input { display: none }` does not reach the widget");
    const searched = page.waitForRequest((r) => r.url().startsWith(`${appUrl}/api/v1/communities/${slug}/search?`));
    const shownEvent = page.waitForResponse((r) => r.url().endsWith("/deflection-events"));
    await box.pressSequentially("router blinks red");
    assert.equal((await (await searched).allHeaders()).cookie, undefined, "no cookies cross-origin");

    const result = page.getByRole("link", { name: "Router blinks red after the firmware update" });
    await result.waitFor();
    assert.equal(await page.getByRole("status").textContent(), "1 Antwort aus der Community");
    assert.equal(await page.getByRole("list", { name: "Antworten aus der Community" }).getByText("Gelöst").count(), 1);
    assert.equal((await shownEvent).status(), 201, "search_shown is recorded through CORS");

    // Keyboard: down from the box to the answer.
    await box.press("ArrowDown");
    assert.equal(await result.evaluate((a) => a.getRootNode() instanceof ShadowRoot && a.matches(":focus")), true);

    const openedEvent = page.waitForResponse((r) => r.url().endsWith("/deflection-events"));
    const [topicPage] = await Promise.all([context.waitForEvent("page"), result.click()]);
    assert.equal((await openedEvent).status(), 201, "result_opened is recorded with the search's token");
    await topicPage.waitForLoadState();
    assert.match(topicPage.url(), new RegExp(`/c/${slug}/t/${solved.id}/`));
    await topicPage.close();

    const events = await env.deps.db
      .selectFrom("deflectionEvents")
      .select(["type", "visitId", "topicId", "solved"])
      .where("communityId", "=", community.id)
      .where("type", "in", ["search_shown", "result_opened"])
      .orderBy("id")
      .execute();
    assert.deepEqual(
      events.map((e) => [e.type, e.topicId, e.solved]),
      [
        ["search_shown", null, 0],
        ["result_opened", solved.id, 1],
      ],
    );
    const visitId = events[0].visitId;
    assert.match(visitId ?? "", /^[0-9a-f]{32}$/);

    // "Ask the community" carries the typed text (and the visit) to the new-topic form.
    const [askPage] = await Promise.all([
      context.waitForEvent("page"),
      page.getByRole("link", { name: "Die Community fragen" }).click(),
    ]);
    askPage.setDefaultTimeout(10_000);
    const title = askPage.getByLabel("Title");
    await title.waitFor();
    assert.equal(await title.inputValue(), "router blinks red");
    assert.equal(await askPage.locator("input[name=visitId]").inputValue(), visitId, "the widget's visit goes on");
    await askPage.getByLabel("Details").fill("The light stays red although I unplugged it twice.");
    await askPage.getByRole("button", { name: "Post topic" }).click();
    await askPage.getByRole("heading", { level: 1, name: "router blinks red" }).waitFor();
    const posted = await env.deps.db
      .selectFrom("deflectionEvents")
      .select("visitId")
      .where("communityId", "=", community.id)
      .where("type", "=", "topic_posted")
      .where("userId", "=", member.id)
      .execute();
    assert.deepEqual(posted, [{ visitId }], "the post counts against the widget's visit, as on the site");
  } finally {
    await browser.close();
    host?.close();
    await env.close();
  }
});
