import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium, headless, with nothing that would reach beyond this machine on its own. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The one way browser tests start Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** Waits until the page shows a signed-in member's menu (after logging in or signing up). */
export async function waitUntilSignedIn(page: Page): Promise<void> {
  await page.locator("details.user-menu > summary").waitFor();
}

/** Logs out the way a member does: opens their menu and presses "Log out". */
export async function logOutThroughMenu(page: Page): Promise<void> {
  await page.locator("details.user-menu > summary").click();
  await page.getByRole("button", { name: "Log out" }).click();
  await page.getByRole("link", { name: "Log in" }).waitFor();
}
