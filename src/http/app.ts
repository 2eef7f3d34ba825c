import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import type { Actor, Deps } from "./context.ts";
import { API_PREFIX, registerApiRoutes, type ApiRoute } from "./api.ts";
import { buildOpenApi } from "./openapi.ts";
import { AppError } from "../lib/errors.ts";
import { SESSION_COOKIE } from "../accounts/session-cookie.ts";
import { actorFromApiToken, actorFromSession } from "../accounts/accounts.service.ts";
import { accountRoutes } from "../accounts/accounts.routes.ts";
import { communityRoutes } from "../communities/communities.routes.ts";
import { topicRoutes } from "../topics/topics.routes.ts";
import { registerWeb, renderErrorPage } from "../web/web.routes.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export interface AppOptions {
  /** Fastify's logger; off in tests. */
  logger?: boolean | { level: string };
  trustProxy?: boolean;
}

function errorBody(code: string, message: string, fields?: Record<string, string>) {
  return { error: { code, message, ...(fields ? { fields } : {}) } };
}

export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, trustProxy: options.trustProxy ?? false, bodyLimit: 1024 * 1024 });
  await app.register(cookie);
  await app.register(formbody);

  // An empty JSON body (POST /join with Content-Type: application/json) is no body, not an error.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, text, done) => {
    if (text === "" || text === undefined) return done(null, undefined);
    try {
      done(null, JSON.parse(text as string));
    } catch {
      done(new AppError("bad_request", "The request body is not valid JSON."), undefined);
    }
  });

  app.decorateRequest("actor", null);
  app.addHook("onRequest", async (req) => {
    // Anonymous requests carry neither cookie nor token and cost no query.
    const auth = req.headers.authorization;
    if (auth?.startsWith("Bearer ")) {
      req.actor = await actorFromApiToken(deps, auth.slice(7).trim());
      if (!req.actor) throw new AppError("unauthorized", "Invalid API token.");
      return;
    }
    const session = req.cookies[SESSION_COOKIE];
    if (session) req.actor = await actorFromSession(deps, session);
  });

  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    const isApi = req.url.startsWith(API_PREFIX);
    let status: number;
    let body: ReturnType<typeof errorBody>;
    if (error instanceof AppError) {
      status = error.status;
      body = errorBody(error.code, error.message, error.fields);
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors: body too large, unsupported media type, bad content.
      status = error.statusCode === 413 || error.statusCode === 415 ? error.statusCode : 400;
      body = errorBody("bad_request", error.message);
    } else {
      req.log.error(error);
      status = 500;
      body = errorBody("internal", "Something went wrong on our side.");
    }
    reply.code(status);
    if (isApi) return reply.header("cache-control", "no-store").send(body);
    return renderErrorPage(req, reply, deps, status, body.error.message);
  });

  app.get("/healthz", async () => ({ ok: true }));

  const routes: ApiRoute<any, any, any>[] = [...accountRoutes(deps), ...communityRoutes(deps), ...topicRoutes(deps)];
  registerApiRoutes(app, routes);
  const openApi = buildOpenApi(routes, deps.config.baseUrl);
  app.get(`${API_PREFIX}/openapi.json`, async () => openApi);

  app.setNotFoundHandler((req, reply) => {
    const message = "Page not found.";
    reply.code(404);
    if (req.url.startsWith(API_PREFIX)) return reply.send(errorBody("not_found", "No such endpoint."));
    return renderErrorPage(req, reply, deps, 404, message);
  });

  await registerWeb(app, deps);
  return app;
}
