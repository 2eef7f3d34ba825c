import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { roomyLimits } from "../routing/support.ts";

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema };
type Operation = {
  parameters?: { name: string; in: "path" | "query"; schema: JsonSchema }[];
  /** JSON, or for the uploads multipart/form-data (their own tests send them files). */
  requestBody?: { content: { "application/json"?: { schema: JsonSchema } } };
};

const ABOVE_INT32 = 2 ** 31 + 7;
const HUGE = "x".repeat(60_000);

/** A value of the wrong type for a schema. */
function wrongType(schema: JsonSchema): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "string") return { not: "a string" };
  if (type === "number" || type === "integer") return "12abc";
  if (type === "boolean") return "yes";
  if (type === "array") return { length: 1 };
  if (type === "object") return [1, 2];
  return [[{}]];
}

/** Malformed bodies for an operation: deep nesting, huge strings, wrong types, ids above 2^31. */
function malformedBodies(schema: JsonSchema | undefined): string[] {
  const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
  const bodies = [
    deep,
    `{"a":${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}}`,
    JSON.stringify(HUGE),
    "[]",
    "null",
    "12",
    '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}',
    '{"unterminated": ',
  ];
  const properties = schema?.properties ?? {};
  const names = Object.keys(properties);
  if (names.length > 0) {
    const each = (make: (name: string, property: JsonSchema) => unknown) =>
      JSON.stringify(Object.fromEntries(names.map((name) => [name, make(name, properties[name])])));
    bodies.push(
      each((_n, p) => wrongType(p)),
      each(() => HUGE),
      each(() => ABOVE_INT32),
      each(() => -1e308),
      each((_n, p) => (p.type === "array" ? Array.from({ length: 2_000 }, () => ABOVE_INT32) : [ABOVE_INT32])),
      each(() => "\u202e\r\n\u200b=cmd|' /C calc'!A0"),
    );
  }
  return bodies;
}

describeEachDatabase(
  "fuzzing every OpenAPI operation",
  (env) => {
    test("malformed bodies, parameters and ids above 2^31 never get a 5xx", { timeout: 300_000 }, async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
      const platformAdmin = await buildUser(env(), { platformAdmin: true });
      const topic = await buildTopic(env(), slug, members.member[0]);
      await buildReply(env(), topic.id, members.staff[0]);
      const openApi = (await env().api.get("/api/v1/openapi.json")).body as {
        paths: Record<string, Record<string, Operation>>;
      };
      const failures: string[] = [];
      let requests = 0;
      for (const [template, operations] of Object.entries(openApi.paths)) {
        // The event stream answers by staying open; its parameters are checked in large-ids.test.ts.
        if (template === "/api/v1/events") continue;
        for (const [method, operation] of Object.entries(operations)) {
          const pathParams = (operation.parameters ?? []).filter((p) => p.in === "path");
          const queryParams = (operation.parameters ?? []).filter((p) => p.in === "query");
          const fill = (value: (name: string) => string) =>
            template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(value(name)));
          const urls = [
            fill((name) => (name === "slug" ? slug : String(topic.id))),
            fill((name) => (name === "slug" ? slug : String(ABOVE_INT32))),
            fill((name) => (name === "slug" ? `${slug}\u202e` : "-1")),
            fill(() => "1e3"),
          ];
          if (pathParams.length === 0) urls.splice(1);
          const queries = [
            "",
            queryParams.map((p) => `${p.name}=${ABOVE_INT32}`).join("&"),
            queryParams.map((p) => `${p.name}[a][b]=x&${p.name}=${encodeURIComponent(HUGE.slice(0, 5000))}`).join("&"),
          ].filter((q, i) => i === 0 || q !== "");
          const json = operation.requestBody?.content["application/json"];
          const bodies = json ? malformedBodies(json.schema) : [undefined];
          const send = async (auth: { token: string } | null, url: string, body: string | undefined) => {
            requests += 1;
            const res = await env().app.inject({
              method: method.toUpperCase() as "GET",
              url,
              headers: {
                ...(auth ? { authorization: `Bearer ${auth.token}` } : {}),
                ...(body !== undefined ? { "content-type": "application/json" } : {}),
              },
              payload: body,
            });
            if (res.statusCode >= 500) {
              failures.push(
                `${method.toUpperCase()} ${url.slice(0, 120)} ${String(body).slice(0, 80)} -> ${res.statusCode}`,
              );
            }
          };
          // Bodies as the most privileged caller, so validation and handlers are reached.
          for (const body of bodies) await send(platformAdmin.auth, urls[0], body);
          // Parameters as a privileged caller and as nobody.
          const emptyBody = operation.requestBody ? "{}" : undefined;
          for (const auth of [admin.auth, null]) {
            for (const url of urls) await send(auth, url, emptyBody);
            for (const query of queries.slice(1)) await send(auth, `${urls[0]}?${query}`, emptyBody);
          }
        }
      }
      assert.ok(requests > 1000, `${requests} requests`);
      assert.deepEqual(failures, []);
    });

    test("an address with bad percent-encoding gets the error body, or the error page, of any bad request", async () => {
      const { slug } = await buildCommunity(env(), {});
      for (const url of ["/api/v1/topics/%FF", `/api/v1/communities/${slug}/topics/%ED%A0%80`]) {
        const res = await env().api.get(url);
        assert.equal(res.status, 400, url);
        assert.equal(res.body.error.code, "bad_request", url);
        assert.equal(typeof res.body.error.message, "string");
        assert.equal(res.headers["cache-control"], "no-store");
      }
      for (const url of ["/c/%FF", `/c/${slug}/t/%ED%A0%80`]) {
        const res = await env().app.inject({ method: "GET", url, headers: { "accept-language": "de" } });
        assert.equal(res.statusCode, 400, url);
        assert.match(String(res.headers["content-type"]), /^text\/html/);
        assert.match(res.body, /<html lang="de"/);
        assert.ok(res.headers["content-security-policy"], "the security headers of every page");
      }
      const chosen = await env().app.inject({ method: "GET", url: "/c/%FF", headers: { cookie: "cs_lang=fr" } });
      assert.match(chosen.body, /<html lang="fr"/, "the language cookie is read though no hook ran");
    });
  },
  roomyLimits,
);
