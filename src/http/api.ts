import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z, type ZodType } from "zod";
import { LIMITS } from "../core/config.ts";
import { AppError, forbidden, unauthorized, validationFailed, type FieldErrors } from "../core/errors.ts";
import type { Actor } from "../core/deps.ts";
import { CSRF_HEADER, csrfTokenMatches } from "./csrf.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  actor: Actor | null;
  req: FastifyRequest;
  reply: FastifyReply;
}

export interface ApiInputWithActor<P, Q, B> extends ApiInput<P, Q, B> {
  actor: Actor;
}

interface ApiRouteBase<P, Q, B> {
  method: Method;
  /** Path under /api/v1, Fastify style (`/topics/:id`). */
  path: string;
  summary: string;
  tag: string;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** Success status; 200 unless set. */
  status?: number;
  /** Largest accepted body in bytes, where a route takes more than the app's default (uploads). */
  bodyLimit?: number;
  /** An upload: the body is multipart/form-data with a file in this field, read by the handler itself. */
  fileField?: string;
  /**
   * Callable from other sites' pages (the widget): answers CORS for the origins the app's policy
   * allows, a community's allowed origins (http/cors.ts). Only for public endpoints that need no login.
   */
  cors?: true;
}

export type ApiRoute<P, Q, B> =
  | (ApiRouteBase<P, Q, B> & { auth: "required"; handler(input: ApiInputWithActor<P, Q, B>): Promise<unknown> })
  | (ApiRouteBase<P, Q, B> & { auth?: "optional"; handler(input: ApiInput<P, Q, B>): Promise<unknown> });

/**
 * A route with its input types erased, as the app keeps them in one list. Handler parameters are
 * contravariant, so no narrower type than `any` accepts every defined route.
 */
// biome-ignore lint/suspicious/noExplicitAny: the erased form of every ApiRoute<P, Q, B>
export type AnyApiRoute = ApiRoute<any, any, any>;

export const API_PREFIX = "/api/v1";

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join(".") : where;
    fields[key] ??= issue.message;
  }
  throw validationFailed(fields);
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Browser writes must prove they come from our own pages: either a JSON body (a cross-site form
 * cannot send one without a CORS preflight we never grant) or the CSRF header. That holds for
 * cookie sessions and for anonymous requests with a body too, or a cross-site form could log the
 * victim's browser into the attacker's account (login CSRF). Bearer tokens are never sent by a
 * browser on its own, so they need neither.
 */
function checkCsrf(req: FastifyRequest): void {
  if (req.actor?.via === "token" || !UNSAFE.has(req.method)) return;
  const type = req.headers["content-type"];
  // Media types ignore case (RFC 9110): "Application/JSON" is JSON too, and no cross-site form can send it.
  if (type?.toLowerCase().startsWith("application/json")) return;
  // A body-less anonymous call (a script's logout) cannot change who the browser is.
  if (!req.actor && type === undefined) return;
  const header = req.headers[CSRF_HEADER];
  if (typeof header === "string" && csrfTokenMatches(req, header)) return;
  throw forbidden("Missing CSRF protection: send JSON or the X-CSRF-Token header.");
}

/** Types a route's handler from its schemas; domains list their routes and the app registers them. */
export function defineApi<P = undefined, Q = undefined, B = undefined>(route: ApiRoute<P, Q, B>): AnyApiRoute {
  return route as AnyApiRoute;
}

export function registerApiRoutes(app: FastifyInstance, routes: AnyApiRoute[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: API_PREFIX + route.path,
      ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
      config: { cors: route.cors === true },
      handler: async (req, reply) => {
        if (route.auth === "required" && !req.actor) throw unauthorized();
        checkCsrf(req);
        const input = {
          params: parse(route.params, req.params, "params"),
          query: parse(route.query, req.query, "query"),
          body: parse(route.body, req.body, "body"),
          actor: req.actor,
          req,
          reply,
        };
        const result = await route.handler(input as ApiInputWithActor<unknown, unknown, unknown>);
        reply.header("cache-control", "no-store");
        reply.code(route.status ?? 200);
        return result ?? { ok: true };
      },
    });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * A record's id as a path, query, form or JSON body gives it. A string must be decimal digits:
 * z.coerce.number() alone also reads "0x10", "1e1" or " 16" as 16, giving one topic many addresses.
 */
export function recordId(message = "Unknown id.") {
  return z
    .union([z.number(), z.string().regex(/^\d+$/, message)], { error: message })
    .transform(Number)
    .pipe(z.number().int(message).positive(message).max(LIMITS.idMax, message));
}

/** Path parameter schemas shared by many routes. */
export const idParams = z.object({ id: recordId() });
/** A community's slug as addresses give it: slugs are lower case, so /c/DEMO/... is /c/demo/... */
export const slugParams = z.object({ slug: z.string().min(1).max(64).toLowerCase() });
