import { z } from "zod";
import { API_PREFIX, type AnyApiRoute } from "./api.ts";
import { STATUS_BY_CODE } from "../core/errors.ts";

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: Object.keys(STATUS_BY_CODE) },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "string" } },
      },
    },
  },
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parameters(schema: z.ZodType | undefined, location: "path" | "query") {
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || (json.required ?? []).includes(name),
    schema: property,
  }));
}

function requestBody(route: AnyApiRoute) {
  if (route.fileField) {
    const file = { [route.fileField]: { type: "string", format: "binary" } };
    const schema = { type: "object", required: [route.fileField], properties: file };
    return { requestBody: { required: true, content: { "multipart/form-data": { schema } } } };
  }
  if (!route.body) return {};
  return { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(route.body) } } } };
}

const CORS_NOTE =
  "Callable from the pages of the community's allowed origins (CORS, preflight included; never with credentials).";

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. `sessionCookie`: the
 * session cookie's name as this installation sets it (`__Host-` prefixed with SECURE_COOKIES).
 */
export function buildOpenApi(routes: AnyApiRoute[], baseUrl: string, sessionCookie: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = API_PREFIX + route.path.replace(/:(\w+)/g, "{$1}");
    const status = String(route.status ?? 200);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      ...(route.cors ? { description: CORS_NOTE } : {}),
      tags: [route.tag],
      security: route.auth === "required" ? [{ bearer: [] }, { session: [] }] : [{}, { bearer: [] }, { session: [] }],
      parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
      ...requestBody(route),
      responses: {
        // A 204 answer has no body at all (HTTP sends none, whatever the handler returns).
        [status]:
          status === "204"
            ? { description: "Success, no content" }
            : { description: "Success", content: { "application/json": { schema: { type: "object" } } } },
        "4XX": {
          description: "Error",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Crowdservice API",
      version: "1.0.0",
      description: "Crowdsourced customer support: communities, topics, replies, votes.",
    },
    servers: [{ url: baseUrl }],
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Personal API token from POST /api/v1/tokens" },
        session: { type: "apiKey", in: "cookie", name: sessionCookie },
      },
    },
  };
}
