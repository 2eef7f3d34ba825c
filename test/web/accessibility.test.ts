import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../browser.ts";
import { DATABASES, createTestEnv, type TestEnv } from "../helpers.ts";
import { seedDemoIfEmpty } from "../../src/app/demo.seed.ts";
import { createSession } from "../../src/accounts/accounts.service.ts";
import { DEMO_EMAILS, type Role, demoPaths, mainPages } from "../../scripts/main-pages.ts";

const AXE_SOURCE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

async function seriousViolations(page: Page, url: string): Promise<string[]> {
  const response = await page.goto(url);
  if (response?.status() !== 200) return [`${url}: answered ${response?.status()}`];
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  if (overflow > 0) return [`${url}: ${overflow} px wider than a ${page.viewportSize()?.width} px window`];
  await page.addScriptTag({ path: AXE_SOURCE });
  const violations: Violation[] = await page.evaluate(async () => {
    // @ts-expect-error axe is the script injected above
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${url}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}; ${v.nodes[0].failureSummary}`,
    );
}

/**
 * One browser context per role and colour scheme, its pages checked one after another: light on a
 * desktop, dark on a 320 px phone, where no page may be wider than the window either.
 */
async function checkRole(
  browser: Browser,
  baseURL: string,
  scheme: "light" | "dark",
  cookie: string | null,
  urls: string[],
) {
  // bypassCSP: axe is injected as an inline script, which the app's Content-Security-Policy forbids.
  const viewport = scheme === "light" ? { width: 1280, height: 800 } : { width: 320, height: 640 };
  const context = await browser.newContext({ baseURL, colorScheme: scheme, bypassCSP: true, viewport });
  try {
    if (cookie) {
      const [name, value] = cookie.split("=");
      await context.addCookies([{ name, value, domain: "127.0.0.1", path: "/" }]);
    }
    const page = await context.newPage();
    const found: string[] = [];
    for (const url of urls) found.push(...(await seriousViolations(page, url)).map((v) => `${scheme} ${v}`));
    return found;
  } finally {
    await context.close();
  }
}

describe("accessibility (axe-core in Chromium)", () => {
  let env: TestEnv;
  let browser: Browser;
  let baseURL: string;
  let pages: Record<Role, string[]>;

  before(async () => {
    env = await createTestEnv(DATABASES[0]);
    browser = await launchChromium();
    await seedDemoIfEmpty(env.deps);
    await env.app.listen({ port: 0, host: "127.0.0.1" });
    baseURL = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    pages = mainPages(await demoPaths(env.deps.db));
  });

  after(async () => {
    await browser?.close();
    await env?.close();
  });

  for (const role of ["anonymous", "member", "helper", "staff", "admin"] as const) {
    test(`the main pages of ${role === "anonymous" ? "an anonymous visitor" : `${role === "admin" ? "an" : "a"} ${role}`} have no serious or critical violation, light (desktop) and dark (320 px, no overflow)`, {
      timeout: 300_000,
    }, async () => {
      let cookie: string | null = null;
      if (role !== "anonymous") {
        const user = await env.deps.db
          .selectFrom("users")
          .select("id")
          .where("email", "=", DEMO_EMAILS[role])
          .executeTakeFirstOrThrow();
        cookie = `cs_session=${await createSession(env.deps, user.id)}`;
      }
      const found: string[] = [];
      for (const scheme of ["light", "dark"] as const) {
        found.push(...(await checkRole(browser, baseURL, scheme, cookie, pages[role])));
      }
      assert.deepEqual(found, []);
    });
  }
});
