import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import type { OidcProviderConfig } from "../../src/core/config.ts";

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1 for the tests: its own login and consent
 * pages (any password is accepted for the logins below), discovery, keys, token and userinfo.
 */

/** The people the provider knows, by login name (which is also their subject). */
export const PEOPLE: Record<string, Record<string, unknown>> = {
  newcomer: { email: "newcomer@customers.test", email_verified: true, name: "Nina Newcomer", locale: "de-CH" },
  linda: { email: "linda@customers.test", email_verified: true, name: "Linda at the provider" },
  mallory: { email: "mallory@customers.test", email_verified: false, name: "Mallory" },
  customer: {
    email: "carla@customers.test",
    email_verified: true,
    name: "Carla Customer",
    customer_number: "C-1001",
    groups: ["customers", "tv"],
  },
  prospect: { email: "pete@prospects.test", email_verified: true, name: "Pete Prospect", groups: ["newsletter"] },
  twin: { email: "tessa@customers.test", email_verified: true, name: "Tessa Twin" },
  browser: { email: "bruno@customers.test", email_verified: true, name: "Bruno Browser" },
  /** Her address was registered here by someone else before her first login through the provider. */
  squatted: { email: "vera@customers.test", email_verified: true, name: "Vera Victim" },
  /** The provider "verified" something that is no address at all. */
  garbled: { email: "@customers.test", email_verified: true },
};

export const CLIENT = { id: "crowdservice", secret: "a-client-secret-for-the-tests" };

export interface TestProvider {
  issuer: string;
  /** The provider as the app's configuration names it (OIDC_PROVIDERS). */
  config: OidcProviderConfig;
  close(): Promise<void>;
}

/** Starts the provider; `appBaseUrl` is where the app's callback lives (its registered redirect URI). */
export async function startProvider(appBaseUrl: string, name = "acme"): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [`${appBaseUrl}/auth/oidc/${name}/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "locale"],
      customer: ["customer_number", "groups"],
    },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    cookies: { keys: ["cookie-key-for-the-test-provider"] },
    findAccount: async (_ctx: unknown, id: string) =>
      PEOPLE[id] ? { accountId: id, claims: async () => ({ sub: id, ...PEOPLE[id] }) } : undefined,
  });
  server.on("request", provider.callback());
  return {
    issuer,
    config: {
      name,
      label: "Acme ID",
      issuer,
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      scopes: "openid email profile customer",
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Walks a person through the provider's own pages over HTTP: from the authorization URL, logs in
 * as `login` (any password), consents, and returns the redirect back to the app (not followed).
 */
export async function throughProvider(authorizationUrl: string, login: string, appBaseUrl: string): Promise<URL> {
  const jar = new Map<string, string>();
  let next: { url: string; init?: RequestInit } = { url: authorizationUrl };
  for (let step = 0; step < 12; step++) {
    const res = await fetch(next.url, {
      ...next.init,
      redirect: "manual",
      headers: {
        ...(next.init?.headers as Record<string, string>),
        cookie: [...jar].map((c) => c.join("=")).join("; "),
      },
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair.indexOf("=");
      const expired = pair.slice(at + 1) === "" || /expires=Thu, 01 Jan 1970/i.test(cookie);
      if (expired) jar.delete(pair.slice(0, at));
      else jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = res.headers.get("location");
    if (location) {
      const url = new URL(location, next.url);
      if (url.href.startsWith(appBaseUrl)) return url;
      next = { url: url.href };
      continue;
    }
    const page = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    if (!action || !prompt)
      throw new Error(`the provider answered ${res.status} without a form: ${page.slice(0, 500)}`);
    const fields: Record<string, string> =
      prompt === "login" ? { prompt, login, password: "any password" } : { prompt };
    next = {
      url: new URL(action, next.url).href,
      init: {
        method: "POST",
        body: new URLSearchParams(fields).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      },
    };
  }
  throw new Error("the provider did not send the browser back to the app");
}
