import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { API_PREFIX, type AnyApiRoute } from "./api.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route answers CORS for the origins the app's policy allows (see registerCors). */
    cors?: boolean;
  }
}

/** Whether a page of this origin may call this request's route (e.g. the community's allowed origins). */
export type OriginPolicy = (req: FastifyRequest, origin: string) => Promise<boolean>;

/** How long a browser may reuse a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

/**
 * Whether a path parameter holds a NUL character. The app refuses such a request (422) once its
 * input is read, but this hook runs first: handed to the policy, the value would reach a query,
 * and PostgreSQL fails on NUL in text (a 500) where SQLite answers.
 */
function nulInParams(params: unknown): boolean {
  return Object.values(params ?? {}).some((value) => typeof value === "string" && value.includes("\0"));
}

/**
 * Cross-origin access to the API routes marked `cors`: an allowed origin gets
 * `Access-Control-Allow-Origin` with exactly its own value, any other gets no CORS header at all,
 * and every answer of these routes says `Vary: Origin` so a shared cache never hands one origin's
 * answer to another. Credentials are never allowed (no `Access-Control-Allow-Credentials`): a
 * browser does not let a page read an answer made with its visitor's cookies, and a preflighted
 * request (JSON) carrying them is not even sent. Preflights (`OPTIONS`) answer 204 either way.
 * Call it before registering the routes, so the hook runs for them.
 */
export function registerCors(app: FastifyInstance, routes: readonly AnyApiRoute[], allows: OriginPolicy): void {
  const methods = new Map<string, Set<string>>();
  for (const route of routes.filter((r) => r.cors)) {
    const url = API_PREFIX + route.path;
    methods.set(url, (methods.get(url) ?? new Set()).add(route.method));
  }

  app.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.routeOptions.config?.cors) return;
    reply.header("vary", "Origin");
    const origin = req.headers.origin;
    if (typeof origin !== "string" || nulInParams(req.params) || !(await allows(req, origin))) return;
    reply.header("access-control-allow-origin", origin);
    if (req.method !== "OPTIONS") return;
    reply
      .header("access-control-allow-methods", [...(methods.get(req.routeOptions.url ?? "") ?? [])].join(", "))
      .header("access-control-allow-headers", "content-type")
      .header("access-control-max-age", String(PREFLIGHT_MAX_AGE));
  });

  for (const url of methods.keys())
    app.options(url, { config: { cors: true } }, async (_req, reply) => reply.code(204).send());
}
