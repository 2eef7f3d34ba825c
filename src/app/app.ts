import { randomUUID } from "node:crypto";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import type { Actor, Deps } from "../core/deps.ts";
import type { TrustProxy } from "../core/config.ts";
import { API_PREFIX, registerApiRoutes } from "../http/api.ts";
import { registerCors } from "../http/cors.ts";
import { cookieName } from "../http/cookies.ts";
import { isAllowedOrigin } from "../communities/index.ts";
import { apiRoutes } from "./routes.ts";
import { avatarApiRoutes } from "../accounts/accounts.uploads.ts";
import { attachmentApiRoutes } from "../editor/editor.routes.ts";
import { buildOpenApi } from "../http/openapi.ts";
import { AppError, badRequest, type ErrorCode, STATUS_BY_CODE, validationFailed } from "../core/errors.ts";
import { requestCredential, SESSION_COOKIE } from "../accounts/session-cookie.ts";
import { actorFromCredential } from "../accounts/accounts.service.ts";
import { registerWeb } from "./pages.ts";
import { installRegistries } from "./registry.ts";
import { buildJobRegistry } from "./jobs.ts";
import { runJobsNow } from "../jobs/jobs.ts";
import { renderErrorPage } from "../web/error-page.ts";
import { startPostgresListener } from "../live/live.hub.ts";
import { LiveHub } from "../core/live-hub.ts";
import { installOps } from "../ops/index.ts";
import { installPageCache, serveCachedPages } from "./page-cache.ts";
import { signingSecret } from "../lib/signing.ts";
import { installViewCounting } from "../topics/topics.viewcount.ts";
import { bindCsrfToSession } from "../http/csrf.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
    /** A JSON body's text as received: signed requests (the help desk's events) are verified over these bytes. */
    rawBody?: string;
  }
}

export interface AppOptions {
  /** Fastify's logger; off in tests. */
  logger?: boolean | { level: string };
  /** See TRUST_PROXY in core/config.ts. */
  trustProxy?: TrustProxy;
}

/** What a read-scoped API token may send. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Fastify's client errors that have a code of their own; any other is a bad request (400). */
const CLIENT_ERROR_CODES: Partial<Record<number, ErrorCode>> = {
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** Deeper JSON than any of our bodies is refused; walking it costs nothing and recursion nothing. */
const MAX_JSON_DEPTH = 32;

type Found = { path: string[] } | { tooDeep: true } | null;

/**
 * The path of the first string holding a NUL character (PostgreSQL text cannot store it), or
 * tooDeep past MAX_JSON_DEPTH. Iterative, so no input can exhaust the stack, and each value is
 * visited once.
 */
function inspectInput(value: unknown): Found {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === "string") {
      if (item.value.includes("\0")) return { path: item.path };
    } else if (item.value !== null && typeof item.value === "object") {
      if (item.path.length >= MAX_JSON_DEPTH) return { tooDeep: true };
      const entries = Object.entries(item.value);
      for (let i = entries.length - 1; i >= 0; i--)
        stack.push({ value: entries[i][1], path: [...item.path, entries[i][0]] });
    }
  }
  return null;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;
/** Fastify's form of TRUST_PROXY: a hop count becomes "trust the nearest N addresses". */
function proxyTrust(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === "number" ? (_address, hop) => hop < trust : trust;
}

/**
 * Sent with every response: scripts, styles and forms only from this site, never framed (against
 * clickjacking), no MIME sniffing, and with HTTPS (SECURE_COOKIES) a year of HSTS.
 */
function securityHeaders(https: boolean): Record<string, string> {
  return {
    "content-security-policy":
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; " +
      "frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    ...(https ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

function errorBody(code: string, message: string, fields?: Record<string, string>) {
  return { error: { code, message, ...(fields ? { fields } : {}) } };
}

export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  installRegistries();
  // The deliveries of the events a request's transaction emitted run right after it commits.
  const jobs = buildJobRegistry();
  deps.runJobsNow ??= (ids) => runJobsNow(deps, jobs, ids);
  // A shutdown closes idle connections and lets requests in flight finish (open event streams are
  // ended first, in preClose below): a deploy cuts no request off.
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: proxyTrust(options.trustProxy ?? false),
    bodyLimit: 1024 * 1024,
    forceCloseConnections: "idle",
    // Every log line of a request carries its id: the proxy's X-Request-Id when it sent a sane one.
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // An address the router cannot decode (bad percent-encoding) is refused before any hook runs:
    // it gets the same error body or page as any other bad request, as an anonymous visitor.
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      reply.raw.once("finish", () => countResponse(req, reply));
      reply.code(400).headers(securityHeaders(deps.config.secureCookies));
      if (req.url.startsWith(API_PREFIX))
        return reply.header("cache-control", "no-store").send(errorBody("bad_request", error.message));
      // The cookie hook did not run either: the language cookie still picks the page's language.
      req.cookies ??= app.parseCookie(req.headers.cookie ?? "");
      return renderErrorPage(req, reply, deps, 400, error.message);
    },
  });
  app.decorate("secureCookies", deps.config.secureCookies);
  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });
  const countResponse = installOps(app, deps, jobs.names());
  app.addHook("onRequest", async (_req, reply) => {
    reply.headers(securityHeaders(deps.config.secureCookies));
  });
  deps.live ??= new LiveHub();
  const hub = deps.live;
  // While closing, each response closes its connection (else a kept-alive one would hold the
  // shutdown up to its keep-alive timeout, 72 s).
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
    hub.endStreams();
  });
  app.addHook("onSend", (_req, reply, payload, done) => {
    if (closing) reply.header("connection", "close");
    done(null, payload);
  });
  if (deps.dialect === "postgres") {
    const listener = await startPostgresListener(deps, hub);
    app.addHook("onClose", () => listener.stop());
  }
  await installPageCache(app, deps);
  // The installation's signing secret exists before the first request, so no anonymous read creates it.
  await signingSecret(deps.db);
  await app.register(cookie);
  await app.register(formbody);
  serveCachedPages(app, deps);
  installViewCounting(app, deps);

  // An empty JSON body (POST /join with Content-Type: application/json) is no body, not an error.
  // A "__proto__" key is refused, as Fastify's own parser does: copied by Object.assign or a merge,
  // it would set an object's prototype.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, text, done) => {
    req.rawBody = text as string;
    if (text === "" || text === undefined) return done(null, undefined);
    let prototypeKey = false;
    try {
      const body = JSON.parse(text as string, (key, value) => {
        if (key === "__proto__") prototypeKey = true;
        return value;
      });
      if (prototypeKey) return done(new AppError("bad_request", "The request body may not hold a __proto__ key."));
      done(null, body);
    } catch {
      done(new AppError("bad_request", "The request body is not valid JSON."), undefined);
    }
  });

  app.decorateRequest("actor", null);
  app.decorateRequest("sessionCsrf", null);
  app.addHook("onRequest", async (req) => {
    if (req.routeOptions.config?.operatorToken) return;
    // Anonymous requests carry neither cookie nor token and cost no query.
    const credential = requestCredential(req);
    if (!credential) return;
    req.actor = await actorFromCredential(deps, credential);
    if (credential.via === "token") {
      if (!req.actor) throw new AppError("unauthorized", "Invalid or expired API token.");
      if (req.actor.scope === "read" && !SAFE_METHODS.has(req.method))
        throw new AppError("forbidden", "This token may only read: create a token with the write scope.");
      return;
    }
    if (req.actor) bindCsrfToSession(req, await signingSecret(deps.db), credential.secret);
  });

  // Every route, API and form alike, refuses NUL characters the same way on both databases,
  // rather than failing at PostgreSQL's insert.
  app.addHook("preValidation", async (req) => {
    for (const [where, value] of [
      ["body", req.body],
      ["query", req.query],
      ["params", req.params],
    ] as const) {
      const found = inspectInput(value);
      if (found && "tooDeep" in found) throw badRequest(`The ${where} is nested too deeply.`);
      if (found)
        throw validationFailed({ [found.path.length ? found.path.join(".") : where]: "Remove the NUL character." });
    }
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
      const code = CLIENT_ERROR_CODES[error.statusCode] ?? "bad_request";
      status = STATUS_BY_CODE[code];
      body = errorBody(code, error.message);
    } else {
      req.log.error(error);
      status = 500;
      body = errorBody("internal", "Something went wrong on our side.");
    }
    reply.code(status);
    if (isApi) return reply.header("cache-control", "no-store").send(body);
    const explanation = error instanceof AppError ? error.explanation : undefined;
    return renderErrorPage(req, reply, deps, status, body.error.message, explanation);
  });

  const routes = apiRoutes(deps, hub);
  // The widget's endpoints (all under /communities/:slug) answer CORS for the community's allowed origins.
  registerCors(app, routes, async (req, origin) => {
    const { slug } = req.params as { slug?: string };
    return slug !== undefined && isAllowedOrigin(deps.db, slug, origin);
  });
  registerApiRoutes(app, routes);
  const openApi = buildOpenApi(
    [...routes, ...avatarApiRoutes(deps), ...attachmentApiRoutes(deps)],
    deps.config.baseUrl,
    cookieName(SESSION_COOKIE, deps.config.secureCookies),
  );
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
