import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { launchChromium } from "../browser.ts";
import { DATABASES, createTestEnv } from "../helpers.ts";
import { PEOPLE, startProvider } from "../sso/provider.ts";

/** A port free on loopback now, for an app whose address the provider must know before it starts. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("single sign-on in a real browser: the login page, the provider's own pages, back logged in", {
  timeout: 60_000,
}, async () => {
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const idp = await startProvider(baseURL);
  const env = await createTestEnv(DATABASES[0], { baseUrl: baseURL, oidcProviders: [idp.config] });
  const browser = await launchChromium();
  try {
    await env.app.listen({ port, host: "127.0.0.1" });
    const context = await browser.newContext({ baseURL });
    // Nothing leaves the machine: the provider's pages import a web font, which is refused here.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);

    await page.goto("/login");
    await page.getByRole("link", { name: "Log in with Acme ID" }).click();

    // The provider's own login page, then its consent page.
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('input[name="login"]').fill("browser");
    await page.locator('input[name="password"]').fill("whatever the provider accepts");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();

    // Back at the app, logged in as a new account with the provider's name.
    await page.waitForURL(`${baseURL}/`);
    const me = await page.evaluate(async () => (await fetch("/api/v1/me")).json());
    assert.equal(me.user.email, PEOPLE.browser.email);
    assert.equal(me.user.name, "Bruno Browser");
    const cookies = await context.cookies(baseURL);
    const session = cookies.find((c) => c.name === "cs_session");
    assert.ok(session?.httpOnly);
    assert.equal(
      cookies.some((c) => c.name === "cs_oidc"),
      false,
      "the pending login is gone",
    );
  } finally {
    await browser.close();
    await env.close();
    await idp.close();
  }
});
