import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/core/config.ts";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  TEST_PASSWORD,
  type TestEnv,
} from "../helpers.ts";
import { csrfTokenFor } from "../web/web-helpers.ts";

/** Every endpoint of the API as issue #2 lists it, in OpenAPI path syntax. */
const ISSUE_ENDPOINTS = [
  "POST /auth/signup",
  "POST /auth/login",
  "POST /auth/logout",
  "POST /tokens",
  "GET /me",
  "GET /communities",
  "POST /communities",
  "GET /communities/{slug}",
  "POST /communities/{slug}/join",
  "PUT /communities/{slug}/members/{userId}",
  "GET /communities/{slug}/categories",
  "POST /communities/{slug}/categories",
  "GET /communities/{slug}/topics",
  "POST /communities/{slug}/topics",
  "GET /topics/{id}",
  "PATCH /topics/{id}",
  "POST /topics/{id}/replies",
  "PATCH /replies/{id}",
  "POST /replies/{id}/comments",
  "PUT /topics/{id}/vote",
  "PUT /replies/{id}/vote",
  "POST /topics/{id}/accept",
  "DELETE /topics/{id}/accept",
  "PUT /topics/{id}/follow",
  "DELETE /topics/{id}/follow",
  "GET /topics/{id}/history",
  "GET /replies/{id}/history",
];

async function topicCount(env: TestEnv, communityId: number): Promise<number> {
  const row = await env.deps.db
    .selectFrom("topics")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("communityId", "=", communityId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachDatabase("misc API", (env) => {
  test("GET /healthz is 200", async () => {
    const res = await env().api.get("/healthz");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ok: true });
  });

  test("/api/v1/openapi.json is an OpenAPI 3.1 document listing every endpoint of the issue", async () => {
    const res = await env().api.get("/api/v1/openapi.json");
    assert.equal(res.status, 200);
    const doc = res.body;
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.equal(typeof doc.info.title, "string");
    assert.equal(typeof doc.info.version, "string");
    assert.ok(doc.components.schemas.Error);
    assert.ok(doc.components.securitySchemes.bearer);
    for (const endpoint of ISSUE_ENDPOINTS) {
      const [method, path] = endpoint.split(" ");
      const operation = doc.paths[`/api/v1${path}`]?.[method.toLowerCase()];
      assert.ok(operation, `${endpoint} is documented`);
      assert.equal(typeof operation.summary, "string", endpoint);
      assert.ok(
        Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status)),
        `${endpoint} has a success response`,
      );
      const declared = operation.parameters
        .filter((p: { in: string }) => p.in === "path")
        .map((p: { name: string }) => p.name)
        .sort();
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(declared, inPath, `${endpoint} declares its path parameters`);
      for (const parameter of operation.parameters)
        assert.equal(typeof parameter.schema, "object", `${endpoint} ${parameter.name}`);
    }
    const created = doc.paths["/api/v1/communities/{slug}/topics"].post;
    assert.equal(created.responses["201"] !== undefined, true);
    const bodySchema = created.requestBody.content["application/json"].schema;
    assert.deepEqual([...bodySchema.required].sort(), ["body", "kind", "title"]);
    assert.deepEqual(bodySchema.properties.kind.enum, ["question", "idea", "problem", "praise"]);
    assert.equal(bodySchema.properties.title.minLength, 8);
    assert.equal(bodySchema.properties.title.maxLength, 200);
    const listQuery = doc.paths["/api/v1/communities/{slug}/topics"].get.parameters
      .filter((p: { in: string }) => p.in === "query")
      .map((p: { name: string }) => p.name);
    assert.deepEqual(listQuery.sort(), ["category", "cursor", "kind", "limit", "sort", "status", "tag"]);
    assert.deepEqual(
      doc.paths["/api/v1/topics/{id}/vote"].put.requestBody.content["application/json"].schema.required,
      ["value"],
    );
  });

  test("an unknown API path or method is a JSON 404", async () => {
    for (const [method, url] of [
      ["GET", "/api/v1/nothing-here"],
      ["POST", "/api/v1/topics"],
      ["DELETE", "/api/v1/me/memberships"],
    ]) {
      const res = await env().api.request(method, url, method === "POST" ? {} : undefined);
      assert.equal(res.status, 404, `${method} ${url}`);
      assert.match(String(res.headers["content-type"]), /application\/json/, `${method} ${url}`);
      assert.equal(res.body.error.code, "not_found", `${method} ${url}`);
      assert.equal(typeof res.body.error.message, "string");
    }
  });

  test("a body over the size limit is refused with the error shape", async () => {
    const { slug, admin } = await buildCommunity(env());
    const res = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { kind: "question", title: "A huge post here", body: "x".repeat(1_100_000) },
      admin.auth,
    );
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, "payload_too_large");
  });

  test("a body of a type the endpoint does not read is refused as such", async () => {
    const { slug, admin } = await buildCommunity(env());
    const res = await env().app.inject({
      method: "POST",
      url: `/api/v1/communities/${slug}/topics`,
      headers: { authorization: `Bearer ${admin.auth.token}`, "content-type": "application/xml" },
      payload: "<topic/>",
    });
    assert.equal(res.statusCode, 415, res.body);
    assert.equal(res.json().error.code, "unsupported_media_type");
  });

  test("nothing is half-written: refused posts leave no rows behind", async () => {
    const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const author = members.member[0];
    const before = await topicCount(env(), community.id);
    const attempts = [
      { kind: "question", title: "Bad tag list here", body: "b", tags: ["ok", "not ok"] },
      { kind: "question", title: "Too many tags here", body: "b", tags: ["a", "b", "c", "d", "e", "f"] },
      { kind: "question", title: "Unknown category", body: "b", categoryId: 987654 },
      { kind: "rant", title: "Unknown kind here", body: "b" },
    ];
    for (const attempt of attempts) {
      const res = await env().api.post(`/api/v1/communities/${slug}/topics`, attempt, author.auth);
      assert.equal(res.status, 422, attempt.title);
    }
    assert.equal(await topicCount(env(), community.id), before);
    const tags = await env()
      .deps.db.selectFrom("topicTags")
      .select("tag")
      .where("communityId", "=", community.id)
      .execute();
    assert.deepEqual(tags, []);
    const topic = await buildTopic(env(), slug, admin);
    const empty = await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "  " }, author.auth);
    assert.equal(empty.status, 422);
    const page = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.equal(page.body.topic.replyCount, 0);
    assert.deepEqual(page.body.replies, []);
  });

  test("NUL characters in input are a 4xx on both databases, never a server error", async () => {
    const { slug, community, admin } = await buildCommunity(env(), { categories: ["General"] });
    const before = await topicCount(env(), community.id);
    const res = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { kind: "question", title: "Title with a \u0000 NUL", body: "Body \u0000 here" },
      admin.auth,
    );
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "validation_failed");
    assert.equal(await topicCount(env(), community.id), before);
    const topic = await buildTopic(env(), slug, admin);
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "a\u0000b" }, admin.auth)).status,
      422,
    );
    assert.equal(
      (
        await env().api.post("/api/v1/auth/signup", {
          email: "nul@example.test",
          password: "long-enough",
          name: "N\u0000L",
        })
      ).status,
      422,
    );
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/topics?category=gen%00eral`)).status, 422);
    assert.equal((await env().api.get("/api/v1/communities/de%00mo")).status, 422);
  });
});

describeEachDatabase(
  "misc API: posting rate limit",
  (env) => {
    test("topics, replies and comments past the limit get 429 and write nothing; other users are unaffected", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [poster, other] = members.member;
      const topic = await buildTopic(env(), slug, poster);
      const reply = await buildReply(env(), topic.id, poster);
      await env().api.post(`/api/v1/replies/${reply.id}/comments`, { body: "third post" }, poster.auth);
      const before = await topicCount(env(), community.id);
      const limited = [
        await env().api.post(
          `/api/v1/communities/${slug}/topics`,
          { kind: "idea", title: "One too many", body: "b" },
          poster.auth,
        ),
        await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "one too many" }, poster.auth),
        await env().api.post(`/api/v1/replies/${reply.id}/comments`, { body: "one too many" }, poster.auth),
      ];
      for (const res of limited) {
        assert.equal(res.status, 429);
        assert.equal(res.body.error.code, "rate_limited");
      }
      assert.equal(await topicCount(env(), community.id), before);
      const page = await env().api.get(`/api/v1/topics/${topic.id}`);
      assert.equal(page.body.topic.replyCount, 1);
      assert.equal(page.body.replies[0].comments.length, 1);
      assert.equal(
        (await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "I am someone else" }, other.auth)).status,
        201,
      );
      env().clock.advance(60_000);
      assert.equal(
        (await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "after the window" }, poster.auth)).status,
        201,
      );
    });
  },
  { rateLimits: { ...loadConfig({}).rateLimits, post: { max: 3, windowMs: 60_000 } } },
);

describeEachDatabase("misc API: CSRF", (env) => {
  const form = "kind=question&title=Posted+from+a+form&body=Cross-site+attempt";

  test("a cookie-authenticated form post to the API is refused 403 and writes nothing; JSON works", async () => {
    const { slug, community } = await buildCommunity(env());
    const user = await buildUser(env());
    const before = await topicCount(env(), community.id);
    for (const type of ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8"]) {
      const res = await env().app.inject({
        method: "POST",
        url: `/api/v1/communities/${slug}/topics`,
        headers: { cookie: user.cookie, "content-type": type },
        payload: form,
      });
      assert.equal(res.statusCode, 403, type);
      assert.equal(res.json().error.code, "forbidden");
    }
    const plain = await env().app.inject({
      method: "POST",
      url: `/api/v1/communities/${slug}/topics`,
      headers: { cookie: user.cookie, "content-type": "text/plain" },
      payload: form,
    });
    assert.equal(plain.statusCode, 403, "text/plain, which a cross-site page may also send");
    const join = await env().app.inject({
      method: "POST",
      url: `/api/v1/communities/${slug}/join`,
      headers: { cookie: user.cookie },
    });
    assert.equal(join.statusCode, 403, "a body-less cookie POST needs the CSRF header too");
    assert.equal(await topicCount(env(), community.id), before);
    const json = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { kind: "question", title: "Posted as JSON", body: "Fine" },
      { cookie: user.cookie },
    );
    assert.equal(json.status, 201);
  });

  test("a form post with the matching CSRF header passes; a wrong one does not; tokens need none", async () => {
    const { slug, community } = await buildCommunity(env());
    const user = await buildUser(env());
    const withHeader = (token: string) =>
      env().app.inject({
        method: "POST",
        url: `/api/v1/communities/${slug}/topics`,
        headers: {
          cookie: `${user.cookie}; cs_csrf=known-token-value`,
          "content-type": "application/x-www-form-urlencoded",
          "x-csrf-token": token,
        },
        payload: form,
      });
    assert.equal((await withHeader("wrong-token-value")).statusCode, 403);
    assert.equal((await withHeader("known-token-value")).statusCode, 403, "a session's token is not its cookie's");
    assert.equal((await withHeader(await csrfTokenFor(env(), user.cookie))).statusCode, 201);
    const bearer = await env().app.inject({
      method: "POST",
      url: `/api/v1/communities/${slug}/topics`,
      headers: { authorization: `Bearer ${user.auth.token}`, "content-type": "application/x-www-form-urlencoded" },
      payload: form,
    });
    assert.equal(bearer.statusCode, 201);
    assert.equal(await topicCount(env(), community.id), 2);
  });

  test("a cross-site form cannot sign a browser up or in (login CSRF); JSON and the anonymous header can", async () => {
    const user = await buildUser(env());
    const email = `csrf-${Date.now()}@example.test`;
    const forms = [
      { url: "/api/v1/auth/login", payload: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }) },
      {
        url: "/api/v1/auth/signup",
        payload: new URLSearchParams({ email, password: "a long enough password", name: "Planted" }),
      },
    ];
    for (const { url, payload } of forms) {
      for (const type of ["application/x-www-form-urlencoded", "text/plain"]) {
        const res = await env().app.inject({
          method: "POST",
          url,
          headers: { "content-type": type },
          payload: payload.toString(),
        });
        assert.equal(res.statusCode, 403, `${url} ${type}`);
        assert.equal(res.json().error.code, "forbidden");
        assert.equal(res.headers["set-cookie"], undefined, "no session cookie is set");
      }
    }
    const planted = await env().deps.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
    assert.equal(planted, undefined, "the form signed nobody up");

    const anonymousToken = "anonymous-form-token";
    const withHeader = await env().app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: {
        cookie: `cs_csrf=${anonymousToken}`,
        "content-type": "application/x-www-form-urlencoded",
        "x-csrf-token": anonymousToken,
      },
      payload: forms[0].payload.toString(),
    });
    assert.equal(withHeader.statusCode, 200, "our own page may send a form with its header");
    const json = await env().api.post("/api/v1/auth/login", { email: user.email, password: TEST_PASSWORD });
    assert.equal(json.status, 200);
    const logout = await env().app.inject({ method: "POST", url: "/api/v1/auth/logout" });
    assert.equal(logout.statusCode, 200, "a body-less anonymous call needs no header");
  });
});
