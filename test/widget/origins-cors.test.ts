import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, buildUser, describeEachDatabase, type TestEnv } from "../helpers.ts";

const HELP_SITE = "https://help.example.com";
const OTHER_SITE = "https://evil.example.net";

/** A request as a browser on another site sends it: with its Origin header. */
async function fromOrigin(
  env: TestEnv,
  method: "GET" | "POST" | "OPTIONS",
  url: string,
  origin: string,
  extra: { headers?: Record<string, string>; body?: unknown } = {},
) {
  const res = await env.app.inject({
    method,
    url,
    headers: {
      origin,
      ...(extra.body === undefined ? {} : { "content-type": "application/json" }),
      ...extra.headers,
    },
    payload: extra.body === undefined ? undefined : JSON.stringify(extra.body),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body ? JSON.parse(res.body) : null };
}

const corsHeaders = (headers: Record<string, unknown>) =>
  Object.keys(headers).filter((name) => name.startsWith("access-control-"));

describeEachDatabase("allowed origins and CORS of the widget's endpoints", (env) => {
  test("community admins list and replace the origins; they are validated and kept in browser form", async () => {
    const { slug, admin } = await buildCommunity(env());
    const url = `/api/v1/communities/${slug}/allowed-origins`;
    assert.deepEqual((await env().api.get(url, admin.auth)).body, { allowedOrigins: [] });

    const saved = await env().api.put(
      url,
      { allowedOrigins: ["HTTPS://Help.Example.com/", "http://127.0.0.1:8080", "https://help.example.com:443"] },
      admin.auth,
    );
    assert.equal(saved.status, 200);
    assert.deepEqual(saved.body.allowedOrigins, ["http://127.0.0.1:8080", HELP_SITE], "normalized, duplicates once");
    assert.deepEqual((await env().api.get(url, admin.auth)).body.allowedOrigins, ["http://127.0.0.1:8080", HELP_SITE]);

    for (const bad of [
      "help.example.com",
      "https://help.example.com/support",
      "https://help.example.com/?q=1",
      "https://help.example.com/#top",
      "https://user:pw@help.example.com",
      "ftp://files.example.com",
      "javascript:alert(1)",
      "*",
      "null",
    ]) {
      const refused = await env().api.put(url, { allowedOrigins: [HELP_SITE, bad] }, admin.auth);
      assert.equal(refused.status, 422, bad);
      assert.equal(refused.body.error.code, "validation_failed");
      assert.match(refused.body.error.fields["allowedOrigins.1"], /origin such as https:\/\/help\.example\.com/, bad);
    }
    // URL parses a "*" host, but no browser sends one: a wildcard would match nothing, so it is refused.
    for (const wildcard of ["https://*.example.com", "https://*"]) {
      const refused = await env().api.put(url, { allowedOrigins: [wildcard] }, admin.auth);
      assert.equal(refused.status, 422, wildcard);
      assert.match(refused.body.error.fields["allowedOrigins.0"], /Wildcards are not supported/, wildcard);
    }
    const tooMany = Array.from({ length: 51 }, (_, i) => `https://site${i}.example.com`);
    const refused = await env().api.put(url, { allowedOrigins: tooMany }, admin.auth);
    assert.equal(refused.status, 422);
    assert.match(refused.body.error.fields.allowedOrigins, /List at most 50 origins/);
    assert.deepEqual(
      (await env().api.get(url, admin.auth)).body.allowedOrigins,
      ["http://127.0.0.1:8080", HELP_SITE],
      "a refused list changed nothing",
    );

    assert.deepEqual((await env().api.put(url, { allowedOrigins: [] }, admin.auth)).body.allowedOrigins, []);
    const audit = await env()
      .deps.db.selectFrom("auditLog")
      .select("action")
      .where("action", "=", "community.allowedOrigins")
      .execute();
    assert.equal(audit.length, 2, "each change is in the audit log");
  });

  test("duplicates count once toward the limit of 50 origins", async () => {
    const { slug, admin } = await buildCommunity(env());
    const url = `/api/v1/communities/${slug}/allowed-origins`;
    const fifty = Array.from({ length: 50 }, (_, i) => `https://site${i}.example.com`);
    const once = await env().api.put(url, { allowedOrigins: [...fifty, fifty[0].toUpperCase()] }, admin.auth);
    assert.equal(once.status, 200, JSON.stringify(once.body));
    assert.equal(once.body.allowedOrigins.length, 50);
  });

  test("only community admins (and platform admins) read or change the origins", async () => {
    const { slug, admin, members } = await buildCommunity(env(), {
      members: { member: 1, staff: 1, moderator: 1 },
    });
    const platformAdmin = await buildUser(env(), { platformAdmin: true });
    const outsider = await buildUser(env());
    const url = `/api/v1/communities/${slug}/allowed-origins`;
    const body = { allowedOrigins: [HELP_SITE] };
    assert.equal((await env().api.get(url)).status, 401);
    assert.equal((await env().api.put(url, body)).status, 401);
    for (const user of [outsider, members.member[0], members.staff[0], members.moderator[0]]) {
      assert.equal((await env().api.get(url, user.auth)).status, 403, user.name);
      assert.equal((await env().api.put(url, body, user.auth)).status, 403, user.name);
    }
    assert.equal((await env().api.put(url, body, platformAdmin.auth)).status, 200);
    assert.deepEqual((await env().api.get(url, admin.auth)).body.allowedOrigins, [HELP_SITE]);

    const secret = await buildCommunity(env(), { visibility: "private" });
    const hidden = await env().api.get(`/api/v1/communities/${secret.slug}/allowed-origins`, outsider.auth);
    assert.equal(hidden.status, 404, "a private community stays unknown to outsiders");
  });

  test("search answers CORS for an allowed origin only, with Vary: Origin and never credentials", async () => {
    const { slug, admin } = await buildCommunity(env());
    await buildTopic(env(), slug, admin, { title: "Router keeps blinking red after update" });
    const other = await buildCommunity(env());
    await env().api.put(`/api/v1/communities/${slug}/allowed-origins`, { allowedOrigins: [HELP_SITE] }, admin.auth);
    await env().api.put(
      `/api/v1/communities/${other.slug}/allowed-origins`,
      { allowedOrigins: [OTHER_SITE] },
      other.admin.auth,
    );
    const search = `/api/v1/communities/${slug}/search?q=router&limit=5`;

    const allowed = await fromOrigin(env(), "GET", search, HELP_SITE);
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers["access-control-allow-origin"], HELP_SITE);
    assert.equal(allowed.headers.vary, "Origin");
    assert.equal(allowed.headers["access-control-allow-credentials"], undefined);
    assert.equal(allowed.body.results.length, 1);
    assert.ok(allowed.body.deflectionToken);

    for (const origin of [OTHER_SITE, "https://help.example.com.evil.net", "http://help.example.com", "null"]) {
      const refused = await fromOrigin(env(), "GET", search, origin);
      assert.equal(refused.status, 200, "the answer itself is the public one; only the browser withholds it");
      assert.deepEqual(corsHeaders(refused.headers), [], origin);
      assert.equal(refused.headers.vary, "Origin");
    }
    const unknown = await fromOrigin(env(), "GET", "/api/v1/communities/no-such/search?q=router", HELP_SITE);
    assert.equal(unknown.status, 404);
    assert.deepEqual(corsHeaders(unknown.headers), []);

    const errorAnswer = await fromOrigin(env(), "GET", `/api/v1/communities/${slug}/search?q=x&limit=500`, HELP_SITE);
    assert.equal(errorAnswer.status, 422);
    assert.equal(errorAnswer.headers["access-control-allow-origin"], HELP_SITE, "errors are readable by the widget");

    const doc = (await env().api.get("/api/v1/openapi.json")).body;
    assert.match(doc.paths["/api/v1/communities/{slug}/search"].get.description, /allowed origins \(CORS/);
    assert.equal(doc.paths["/api/v1/communities/{slug}"].get.description, undefined);

    const notWidget = await fromOrigin(env(), "GET", `/api/v1/communities/${slug}`, HELP_SITE);
    assert.equal(notWidget.status, 200);
    assert.deepEqual(corsHeaders(notWidget.headers), [], "endpoints the widget does not use answer no CORS");
  });

  test("preflights: allowed origins get the methods and headers, others nothing; deflection events are counted", async () => {
    const { slug, admin } = await buildCommunity(env());
    await buildTopic(env(), slug, admin, { title: "Decoder shows error E-102 at start" });
    await env().api.put(`/api/v1/communities/${slug}/allowed-origins`, { allowedOrigins: [HELP_SITE] }, admin.auth);
    const events = `/api/v1/communities/${slug}/deflection-events`;
    const preflight = { "access-control-request-method": "POST", "access-control-request-headers": "content-type" };

    const allowed = await fromOrigin(env(), "OPTIONS", events, HELP_SITE, { headers: preflight });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers["access-control-allow-origin"], HELP_SITE);
    assert.equal(allowed.headers["access-control-allow-methods"], "POST");
    assert.equal(allowed.headers["access-control-allow-headers"], "content-type");
    assert.equal(allowed.headers["access-control-max-age"], "600");
    assert.equal(allowed.headers["access-control-allow-credentials"], undefined);
    assert.equal(allowed.headers.vary, "Origin");

    const refused = await fromOrigin(env(), "OPTIONS", events, OTHER_SITE, { headers: preflight });
    assert.equal(refused.status, 204);
    assert.deepEqual(corsHeaders(refused.headers), []);
    const searchPreflight = await fromOrigin(env(), "OPTIONS", `/api/v1/communities/${slug}/search`, HELP_SITE, {
      headers: { "access-control-request-method": "GET" },
    });
    assert.equal(searchPreflight.headers["access-control-allow-methods"], "GET");

    // The widget's own round: a search, then its events with the same signed token as on the site.
    const found = await fromOrigin(env(), "GET", `/api/v1/communities/${slug}/search?q=decoder`, HELP_SITE);
    const { deflectionToken: token, results } = found.body;
    const visitId = "widget-visit-0001";
    const shown = await fromOrigin(env(), "POST", events, HELP_SITE, {
      body: { type: "search_shown", visitId, token },
    });
    assert.equal(shown.status, 201);
    assert.equal(shown.headers["access-control-allow-origin"], HELP_SITE);
    const opened = await fromOrigin(env(), "POST", events, HELP_SITE, {
      body: { type: "result_opened", visitId, token, topicId: results[0].topic.id },
    });
    assert.equal(opened.status, 201);
    const forged = await fromOrigin(env(), "POST", events, HELP_SITE, {
      body: { type: "result_opened", visitId, token: `${token}x`, topicId: results[0].topic.id },
    });
    assert.equal(forged.status, 422, "the signed-token rule holds for the widget too");
    assert.equal(forged.headers["access-control-allow-origin"], HELP_SITE);
    const recorded = await env()
      .deps.db.selectFrom("deflectionEvents")
      .select(["type", "visitId", "topicId"])
      .where("visitId", "=", visitId)
      .orderBy("id")
      .execute();
    assert.deepEqual(recorded, [
      { type: "search_shown", visitId, topicId: null },
      { type: "result_opened", visitId, topicId: results[0].topic.id },
    ]);

    await env().api.put(`/api/v1/communities/${slug}/allowed-origins`, { allowedOrigins: [] }, admin.auth);
    const removed = await fromOrigin(env(), "OPTIONS", events, HELP_SITE, { headers: preflight });
    assert.deepEqual(corsHeaders(removed.headers), [], "a removed origin is refused at once");
  });
  test("replacing the origins from several requests at once: each one answers, the last list stands", async () => {
    const { slug, admin } = await buildCommunity(env());
    const url = `/api/v1/communities/${slug}/allowed-origins`;
    const lists = [0, 1, 2, 3, 4, 5].map((i) => [HELP_SITE, `https://shop${i % 2}.example.com`]);
    const answers = await Promise.all(
      lists.map((allowedOrigins) => env().api.put(url, { allowedOrigins }, admin.auth)),
    );
    assert.deepEqual(
      answers.map((r) => r.status),
      lists.map(() => 200),
    );
    const stored = (await env().api.get(url, admin.auth)).body.allowedOrigins;
    assert.ok(
      lists.some((l) => JSON.stringify([...l].sort()) === JSON.stringify([...stored].sort())),
      JSON.stringify(stored),
    );
  });
});
