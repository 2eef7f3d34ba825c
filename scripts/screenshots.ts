/**
 * npm run screenshots: starts the app on a fresh demo installation (SQLite in a temporary
 * directory, 127.0.0.1 only), photographs the main pages in Debian's Chromium on a desktop
 * (1280 x 800) and a phone (390 x 844), light and dark, into docs/screenshots/, and prints the
 * weight of each main page as a browser receives it (HTML + CSS + JS, compressed; images
 * apart) as the Markdown table README.md shows.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { BrowserContext } from "playwright-core";
import { launchChromium } from "../test/browser.ts";
import { loadConfig } from "../src/core/config.ts";
import { systemClock } from "../src/core/clock.ts";
import { openDatabase } from "../src/db/database.ts";
import { buildApp } from "../src/app/app.ts";
import { seedDemoIfEmpty } from "../src/app/demo.seed.ts";
import { createSession } from "../src/accounts/accounts.service.ts";
import { SESSION_COOKIE } from "../src/accounts/session-cookie.ts";
import { DEMO_EMAILS, type Role, demoPaths } from "./main-pages.ts";

const OUT = path.resolve(import.meta.dirname, "../docs/screenshots");
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const SCHEMES = ["light", "dark"] as const;

/** The pages photographed, with the role that sees them and a file name. */
function shots(ids: { topic: string; profile: string }): { name: string; role: Role; path: string }[] {
  return [
    { name: "topics", role: "anonymous", path: "/c/demo" },
    { name: "topic", role: "anonymous", path: ids.topic },
    { name: "search", role: "anonymous", path: "/c/demo/search?q=wifi" },
    { name: "categories", role: "anonymous", path: "/c/demo/categories" },
    { name: "ideas", role: "anonymous", path: "/c/demo/ideas" },
    { name: "service-friends", role: "anonymous", path: "/c/demo/service-friends" },
    { name: "academy", role: "anonymous", path: "/c/demo/academy" },
    { name: "profile", role: "anonymous", path: ids.profile },
    { name: "new-topic", role: "member", path: "/c/demo/new" },
    { name: "notifications", role: "member", path: "/me/notifications" },
    { name: "insights", role: "staff", path: "/c/demo/insights" },
    { name: "settings", role: "admin", path: "/c/demo/settings" },
  ];
}

const kilobytes = (bytes: number) => (bytes / 1024).toFixed(1);

/** HTML, CSS and JS bytes (as sent, compressed) of one page load; images and fonts are not counted. */
async function weigh(context: BrowserContext, url: string) {
  const page = await context.newPage();
  const sizes = { html: 0, css: 0, js: 0 };
  const pending: Promise<void>[] = [];
  page.on("requestfinished", (request) => {
    const kind = request.resourceType();
    const key = kind === "document" ? "html" : kind === "stylesheet" ? "css" : kind === "script" ? "js" : null;
    if (key)
      pending.push(
        request.sizes().then((s) => {
          sizes[key] += s.responseBodySize;
        }),
      );
  });
  const response = await page.goto(url, { waitUntil: "load" });
  if (response?.status() !== 200) throw new Error(`${url} answered ${response?.status()}`);
  await Promise.all(pending);
  return { page, sizes };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "crowdservice-screenshots-"));
const config = { ...loadConfig({}), dataDir, seedDemo: false };
const database = await openDatabase(config);
const deps = { db: database.db, dialect: database.dialect, writes: database.writes, config, clock: systemClock };
const app = await buildApp(deps, { logger: false });
const browser = await launchChromium();
try {
  await seedDemoIfEmpty(deps);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const baseURL = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const cookies: Partial<Record<Role, string>> = {};
  for (const role of Object.keys(DEMO_EMAILS) as Exclude<Role, "anonymous">[]) {
    const user = await deps.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", DEMO_EMAILS[role])
      .executeTakeFirstOrThrow();
    cookies[role] = await createSession(deps, user.id);
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const rows: string[] = [];
  for (const shot of shots(await demoPaths(deps.db))) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      for (const scheme of SCHEMES) {
        const context = await browser.newContext({ baseURL, viewport, colorScheme: scheme });
        const session = cookies[shot.role];
        if (session) await context.addCookies([{ name: SESSION_COOKIE, value: session, url: baseURL }]);
        const { page, sizes } = await weigh(context, shot.path);
        await page.screenshot({ path: path.join(OUT, `${shot.name}-${device}-${scheme}.png`) });
        if (device === "desktop" && scheme === "light") {
          const total = sizes.html + sizes.css + sizes.js;
          rows.push(
            `| ${shot.name} (\`${shot.path.replace(/\/t\/\d+$/, "/t/:id").replace(/\/u\/\d+$/, "/u/:id")}\`, ` +
              `${shot.role}) | ${kilobytes(sizes.html)} | ${kilobytes(sizes.css)} | ${kilobytes(sizes.js)} | ` +
              `${kilobytes(total)} |`,
          );
        }
        await context.close();
      }
    }
  }
  console.log(`Screenshots written to ${path.relative(process.cwd(), OUT)}/\n`);
  console.log("| page (path, seen as) | HTML KB | CSS KB | JS KB | total KB |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const row of rows) console.log(row);
} finally {
  await browser.close();
  await app.close();
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
