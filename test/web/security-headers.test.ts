import { test } from "node:test";
import assert from "node:assert/strict";
import { TEST_PASSWORD, buildUser, describeEachDatabase } from "../helpers.ts";

for (const secureCookies of [false, true]) {
  describeEachDatabase(
    `security headers${secureCookies ? " over HTTPS" : ""}`,
    (env) => {
      test("every page and API response forbids framing and foreign scripts; HSTS only with HTTPS", async () => {
        for (const url of ["/", "/login", "/api/v1/openapi.json", "/no-such-page"]) {
          const res = await env().app.inject({ method: "GET", url });
          const csp = String(res.headers["content-security-policy"]);
          assert.match(csp, /default-src 'self'/, url);
          assert.match(csp, /frame-ancestors 'none'/, url);
          assert.match(csp, /object-src 'none'/, url);
          assert.equal(res.headers["x-frame-options"], "DENY", url);
          assert.equal(res.headers["x-content-type-options"], "nosniff", url);
          assert.equal(
            res.headers["strict-transport-security"],
            secureCookies ? "max-age=31536000; includeSubDomains" : undefined,
            url,
          );
        }
      });

      test("cookies are __Host- prefixed over HTTPS, with plain names on plain HTTP", async () => {
        const prefix = secureCookies ? "__Host-" : "";
        const user = await buildUser(env());
        const login = await env().app.inject({
          method: "POST",
          url: "/api/v1/auth/login",
          payload: { email: user.email, password: TEST_PASSWORD },
        });
        assert.equal(login.statusCode, 200);
        const session = String(login.headers["set-cookie"]);
        assert.match(session, new RegExp(`^${prefix}cs_session=[^;]+; Max-Age=\\d+; Path=/; HttpOnly;`));
        assert.equal(/; Secure/.test(session), secureCookies);
        const value = /^[^=]+=([^;]+)/.exec(session)![1];
        const me = (cookie: string) => env().app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } });
        assert.equal((await me(`${prefix}cs_session=${value}`)).statusCode, 200);
        if (secureCookies) assert.equal((await me(`cs_session=${value}`)).statusCode, 401, "no unprefixed cookie");
        const form = await env().app.inject({ method: "GET", url: "/login" });
        assert.match(String(form.headers["set-cookie"]), new RegExp(`^${prefix}cs_csrf=`));
      });
    },
    { secureCookies },
  );
}
