import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";

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
    },
    { secureCookies },
  );
}
