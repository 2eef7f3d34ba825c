import { test } from "node:test";
import assert from "node:assert/strict";
import Fastify from "fastify";
import { z } from "zod";
import { defineApi, registerApiRoutes, slugParams } from "../../src/http/api.ts";
import { registerCors } from "../../src/http/cors.ts";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";

const HELP_SITE = "https://help.example.com";

const corsHeaders = (headers: Record<string, unknown>) =>
  Object.keys(headers).filter((name) => name.startsWith("access-control-"));

test("the origin policy never hears of a path parameter holding a NUL character", async () => {
  const asked: string[] = [];
  const app = Fastify();
  const routes = [
    defineApi({
      method: "GET",
      path: "/communities/:slug/search",
      tag: "search",
      summary: "test",
      params: slugParams,
      query: z.object({}),
      cors: true,
      handler: async () => ({ ok: true }),
    }),
  ];
  registerCors(app, routes, async (req, origin) => {
    asked.push((req.params as { slug: string }).slug);
    return origin === HELP_SITE;
  });
  registerApiRoutes(app, routes);
  for (const method of ["GET", "OPTIONS"] as const) {
    await app.inject({ method, url: "/api/v1/communities/a%00b/search", headers: { origin: HELP_SITE } });
    await app.inject({ method, url: "/api/v1/communities/demo/search", headers: { origin: HELP_SITE } });
  }
  assert.deepEqual(asked, ["demo", "demo"], "only the slug without NUL is looked up");
  await app.close();
});

describeEachDatabase("CORS answers for addresses the app refuses", (env) => {
  test("a NUL in a widget endpoint's slug is a 422 from any origin, never a server error", async () => {
    const { slug, admin } = await buildCommunity(env());
    await env().api.put(`/api/v1/communities/${slug}/allowed-origins`, { allowedOrigins: [HELP_SITE] }, admin.auth);
    for (const [method, url] of [
      ["GET", `/api/v1/communities/${slug}%00/search?q=router`],
      ["OPTIONS", `/api/v1/communities/${slug}%00/search`],
      ["OPTIONS", `/api/v1/communities/${slug}%00/deflection-events`],
    ] as const) {
      const res = await env().app.inject({
        method,
        url,
        headers: { origin: HELP_SITE, "access-control-request-method": method === "GET" ? "GET" : "POST" },
      });
      assert.equal(res.statusCode, 422, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().error.code, "validation_failed");
      assert.deepEqual(corsHeaders(res.headers), [], `${method} ${url}`);
    }
    const allowed = await env().app.inject({
      method: "GET",
      url: `/api/v1/communities/${slug}/search?q=router`,
      headers: { origin: HELP_SITE },
    });
    assert.equal(allowed.headers["access-control-allow-origin"], HELP_SITE, "a clean address still answers CORS");
  });
});
