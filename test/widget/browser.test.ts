import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { launchChromium } from "../browser.ts";
import { DATABASES, buildCommunity, buildReply, buildTopic, buildUser, createTestEnv } from "../helpers.ts";
import { roomyLimits } from "../routing/support.ts";

/** The company's own page, on another origin (another port), in German, with CSS that would break a plain widget. */
const hostPage = (scriptUrl: string, dataLang = "") => `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Hilfe</title>
<style>input { display: none !important; } label, a { font-size: 40px; color: red; }</style></head>
<body><h1>Hilfe-Center</h1><script src="${scriptUrl}" async${dataLang && ` data-lang="${dataLang}"`}></script></body></html>`;

/** How the host page is served: the widget's language (its tag's data-lang) and the page's own CSP. */
interface HostOptions {
  dataLang?: string;
  csp?: string;
}

function serveHostPage(html: string, csp?: string): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    const headers = { "content-type": "text/html; charset=utf-8", ...(csp && { "content-security-policy": csp }) };
    res.writeHead(200, headers).end(html);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

type TestEnv = Awaited<ReturnType<typeof createTestEnv>>;
type Browser = Awaited<ReturnType<typeof launchChromium>>;

/**
 * A community whose widget is allowed on another origin's page (hostPage, served on its own port): runs `work`
 * with the app's and the host page's addresses, then closes the browser, the host page and the app.
 */
async function onHostPage(
  work: (setup: {
    env: TestEnv;
    browser: Browser;
    appUrl: string;
    hostUrl: string;
    community: Awaited<ReturnType<typeof buildCommunity>>;
  }) => Promise<void>,
  options: HostOptions = {},
) {
  const env = await createTestEnv(DATABASES[0], roomyLimits);
  const browser = await launchChromium();
  let host: http.Server | undefined;
  try {
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    const appUrl = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const community = await buildCommunity(env);
    host = await serveHostPage(hostPage(`${appUrl}/c/${community.slug}/widget.js`, options.dataLang), options.csp);
    const hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    const origins = await env.api.put(
      `/api/v1/communities/${community.slug}/allowed-origins`,
      { allowedOrigins: [hostUrl] },
      community.admin.auth,
    );
    assert.equal(origins.status, 200);
    await work({ env, browser, appUrl, hostUrl, community });
  } finally {
    await browser.close();
    host?.close();
    await env.close();
  }
}

/** Two questions about routers, and the host page's widget showing both for "router". */
async function showingTwoAnswers(setup: {
  env: TestEnv;
  browser: Browser;
  hostUrl: string;
  slug: string;
  admin: Awaited<ReturnType<typeof buildCommunity>>["admin"];
}) {
  const { env, browser, hostUrl, slug, admin } = setup;
  await buildTopic(env, slug, admin, { title: "Router blinks red after the firmware update" });
  await buildTopic(env, slug, admin, { title: "Router drops the Wi-Fi every evening" });
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${hostUrl}/`);
  const box = page.getByRole("searchbox");
  await box.fill("router");
  await page.getByText("2 Antworten aus der Community").waitFor();
  return { page, box };
}

test(
  "the widget on another origin's page: answers as you type, then asks the community",
  {
    timeout: 90_000,
  },
  () =>
    onHostPage(async ({ env, browser, appUrl, hostUrl, community: { slug, admin, community } }) => {
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
      assert.equal(
        await page.getByRole("list", { name: "Antworten aus der Community" }).getByText("Gelöst").count(),
        1,
      );
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
    }),
);

test(
  "a pasted log: the widget searches and asks with its first line's title, not an address too long",
  {
    timeout: 90_000,
  },
  () =>
    onHostPage(async ({ env, browser, appUrl, hostUrl, community: { slug, admin } }) => {
      await buildTopic(env, slug, admin, { title: "Router blinks red after the firmware update" });

      const page = await (await browser.newContext()).newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`${hostUrl}/`);
      // Over 10,000 characters (the search's limit), and far over the 16 KB address a server takes once encoded.
      const log = `router blinks red\n${"Übertragung fehlgeschlagen: Zeitüberschreitung\n".repeat(400)}`;
      const searched = page.waitForRequest((r) => r.url().startsWith(`${appUrl}/api/v1/communities/${slug}/search?`));
      await page.getByRole("searchbox").fill(log);
      await page.waitForFunction(
        () => document.querySelector(".crowdservice-widget")?.shadowRoot?.querySelector("[role=status]")?.textContent,
      );
      assert.equal(await page.getByRole("status").textContent(), "1 Antwort aus der Community", "not 'unavailable'");
      const sent = new URL((await searched).url()).searchParams.get("q") ?? "";
      const line = log.replace(/\s+/g, " ").trim();
      assert.equal(sent, line.slice(0, 200), "the search gets the text as one line, cut to the longest title");
      const ask = await page.getByRole("link", { name: "Die Community fragen" }).getAttribute("href");
      assert.equal(new URL(ask ?? "").searchParams.get("title"), line.slice(0, 200), "Ask carries the same title");
    }),
);

test(
  "a search still under way when the box goes back to the answers shown: its late answers never show",
  {
    timeout: 90_000,
  },
  () =>
    onHostPage(async ({ env, browser, appUrl, hostUrl, community: { slug, admin } }) => {
      const { page, box } = await showingTwoAnswers({ env, browser, hostUrl, slug, admin });
      const status = page.getByRole("status");

      // The search for "router wifi" is held on its way until the box says "router" again.
      const lateUrl = (url: URL) =>
        url.href.startsWith(`${appUrl}/api/v1/communities/${slug}/search?`) &&
        url.searchParams.get("q") === "router wifi";
      const isLate = (request: { url(): string }) => lateUrl(new URL(request.url()));
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route(lateUrl, async (route) => {
        await released;
        await route.continue().catch(() => undefined);
      });
      const lateSent = page.waitForRequest(isLate);
      const lateOutcome = Promise.race([
        page.waitForEvent("requestfailed", isLate).then(() => "cancelled"),
        page.waitForEvent("requestfinished", isLate).then(() => "answered"),
      ]);
      await box.fill("router wifi");
      await box.press("Enter");
      await lateSent;
      await box.fill("router");
      await box.press("Enter");
      release();

      assert.equal(await lateOutcome, "cancelled", "going back to the shown answers cancels the search under way");
      assert.equal(await status.textContent(), "2 Antworten aus der Community");
      assert.equal(await page.getByRole("list", { name: "Antworten aus der Community" }).getByRole("link").count(), 2);
    }),
);

test(
  "a search that fails, then the text shown before: its answers show again, not 'unavailable'",
  {
    timeout: 90_000,
  },
  () =>
    onHostPage(async ({ env, browser, appUrl, hostUrl, community: { slug, admin } }) => {
      const { page, box } = await showingTwoAnswers({ env, browser, hostUrl, slug, admin });

      const failing = (url: URL) =>
        url.href.startsWith(`${appUrl}/api/v1/communities/${slug}/search?`) && url.searchParams.get("q") === "router x";
      await page.route(failing, (route) => route.abort());
      await box.fill("router x");
      await page.getByText("Die Community-Suche ist gerade nicht verfügbar.").waitFor();
      await box.fill("router");
      await box.press("Enter");
      await page.getByText("2 Antworten aus der Community").waitFor();
      assert.equal(await page.getByRole("link", { name: /^Router/ }).count(), 2);
    }),
);

test(
  "on a page enforcing Trusted Types, in the language its tag asks for: answers with plain snippets, marked French",
  {
    timeout: 90_000,
  },
  () =>
    onHostPage(
      async ({ env, browser, hostUrl, community: { slug, admin } }) => {
        await buildTopic(env, slug, admin, {
          title: "Router blinks red after the firmware update",
          body: "The router's light & the <b>modem</b> blink red.",
        });
        const page = await (await browser.newContext()).newPage();
        page.setDefaultTimeout(10_000);
        await page.goto(`${hostUrl}/`);
        const box = page.getByRole("searchbox", { name: /^Rechercher dans la communauté/ });
        assert.equal(await box.evaluate((input) => input.matches(":lang(fr)")), true, "French, on a German page");
        await box.fill("modem");
        await page.getByText("1 réponse de la communauté").waitFor();
        assert.ok(
          (await page.getByRole("listitem").textContent())?.includes(
            "The router's light & the <b>modem</b> blink red.",
          ),
        );
      },
      { dataLang: "fr", csp: "require-trusted-types-for 'script'" },
    ),
);

test(
  "an answer opened with the middle button counts as opened, like a click",
  {
    timeout: 90_000,
  },
  () =>
    onHostPage(async ({ env, browser, hostUrl, community: { slug, admin, community } }) => {
      const topic = await buildTopic(env, slug, admin, { title: "Router blinks red after the firmware update" });
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`${hostUrl}/`);
      const shown = page.waitForResponse((r) => r.url().endsWith("/deflection-events"));
      await page.getByRole("searchbox").fill("router");
      assert.equal((await shown).status(), 201);
      const opened = page.waitForResponse((r) => r.url().endsWith("/deflection-events"));
      await page.getByRole("link", { name: topic.title }).click({ button: "middle" });
      assert.equal((await opened).status(), 201);
      const events = await env.deps.db
        .selectFrom("deflectionEvents")
        .select(["type", "topicId"])
        .where("communityId", "=", community.id)
        .where("type", "=", "result_opened")
        .execute();
      assert.deepEqual(events, [{ type: "result_opened", topicId: topic.id }]);
    }),
);
