import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodType } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { unauthorized, validationFailed, type ErrorCode } from "../core/errors.ts";
import { pageContext, type PageContext, type PageView } from "./layout.ts";
import { pathParams, sendPage } from "./page.ts";
import { submitForm, type FormErrors, type FormState, type FormValues } from "./forms.ts";

/** A page's answer other than a page: go elsewhere (a moved topic, "log in first"...). */
export interface Redirect {
  redirect: string;
  status?: 301 | 302 | 303;
}

export interface PageInput<P, Q, C> {
  page: PageContext;
  params: P;
  query: Q;
  /** What the page's `load` step loaded (e.g. the community and the viewer's access). */
  context: C;
}

type Auth = "required" | "optional";
type ActorOf<A extends Auth> = A extends "required" ? Actor : Actor | null;
type WithActor<T, A extends Auth> = T & { actor: ActorOf<A> };

interface RouteSpec<P, C, A extends Auth> {
  path: string;
  /** Path parameters; a malformed one is a page that does not exist (404). */
  params?: ZodType<P>;
  /** "required": anonymous visitors get the 401 page (with a link to log in and come back). */
  auth?: A;
  /** Loads, once, what the handler works in: `inCommunity(deps)` gives the community and the viewer's access. */
  load?: (input: { params: P; actor: ActorOf<A>; page: PageContext }) => Promise<C>;
}

export interface PageSpec<P, Q, C, A extends Auth> extends RouteSpec<P, C, A> {
  /** The query string; invalid values answer 422 unless the schema catches them (`.catch()`). */
  query?: ZodType<Q>;
  render(input: WithActor<PageInput<P, Q, C>, A>): Promise<PageView | Redirect>;
}

export interface FormRouteSpec<P, C, T, A extends Auth> extends RouteSpec<P, C, A> {
  schema: ZodType<T>;
  /** Form text to the API's input shape (numbers, lists) before the schema validates it. */
  toInput?: (values: FormValues) => unknown;
  /** Does the work; returns where to go next (303). */
  run(input: WithActor<PageInput<P, undefined, C>, A> & { data: T; values: FormValues }): Promise<string>;
  /** The form again with the submitted text and messages; without it, refusals go to the error page. */
  rerender?(input: WithActor<PageInput<P, undefined, C>, A> & { form: FormState }): Promise<PageView>;
  /** Form messages for refusals the use case may answer, by error code. */
  refusals?: (page: PageContext) => Partial<Record<ErrorCode, FormErrors>>;
}

/** A page or form route as the composition root registers it. */
export interface PageRoute {
  method: "GET" | "POST";
  path: string;
  handle(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
}

function isRedirect(value: PageView | Redirect): value is Redirect {
  return "redirect" in value;
}

/** The opening every page shares: the page context, path parameters, the signed-in check, the load step. */
async function open<P, C, A extends Auth>(
  spec: RouteSpec<P, C, A>,
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
) {
  const page = pageContext(req, reply, deps);
  const params = spec.params ? pathParams(spec.params, req.params) : (undefined as P);
  if (spec.auth === "required" && !page.actor) throw unauthorized();
  const actor = page.actor as ActorOf<A>;
  const context = spec.load ? await spec.load({ params, actor, page }) : (undefined as C);
  page.timeZone = communityZone(context) ?? page.timeZone;
  return { page, params, actor, context };
}

type Zoned = { community?: { timeZone?: unknown } };

/** The time zone of the community a load step found (`{ community }` or `{ access: { community } }`). */
function communityZone(context: unknown): string | undefined {
  if (typeof context !== "object" || context === null) return undefined;
  const zone = (context as Zoned).community?.timeZone ?? (context as { access?: Zoned }).access?.community?.timeZone;
  return typeof zone === "string" ? zone : undefined;
}

function parseQuery<Q>(schema: ZodType<Q> | undefined, query: unknown): Q {
  if (!schema) return undefined as Q;
  // Empty filter fields mean "any": GET forms send them as empty strings.
  const present = Object.fromEntries(Object.entries((query ?? {}) as object).filter(([, v]) => v !== ""));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw validationFailed(Object.fromEntries(result.error.issues.map((i) => [String(i.path[0] ?? "query"), i.message])));
}

/** An HTML page: path, parameters, who may see it, what it loads, and how it renders (the counterpart of defineApi). */
export function definePage<P = undefined, Q = undefined, C = undefined, A extends Auth = "optional">(
  deps: Deps,
  spec: PageSpec<P, Q, C, A>,
): PageRoute {
  return {
    method: "GET",
    path: spec.path,
    handle: async (req, reply) => {
      // Hits were answered before routing (app/page-cache.ts); an anonymous page rendered now may be kept.
      const mark = req.actor === null ? deps.pageCache?.mark() : undefined;
      const opened = await open(spec, deps, req, reply);
      opened.page.cacheMark = mark;
      const result = await spec.render({ ...opened, query: parseQuery(spec.query, req.query) });
      if (isRedirect(result)) return reply.redirect(result.redirect, result.status ?? 302);
      return sendPage(opened.page, result, result.status);
    },
  };
}

/**
 * A form post: the same opening as a page (forms need a signed-in member unless `auth` says
 * otherwise), then the form pipeline of forms.ts (CSRF, the API's schema, the use case, 303).
 */
export function defineForm<P = undefined, C = undefined, T = unknown, A extends Auth = "required">(
  deps: Deps,
  spec: FormRouteSpec<P, C, T, A>,
): PageRoute {
  return {
    method: "POST",
    path: spec.path,
    handle: async (req, reply) => {
      const opened = await open({ auth: "required" as A, ...spec }, deps, req, reply);
      const input = { ...opened, query: undefined };
      const { rerender } = spec;
      return submitForm(opened.page, {
        schema: spec.schema,
        toInput: spec.toInput,
        run: (data, values) => spec.run({ ...input, data, values }),
        rerender: rerender && ((form) => rerender({ ...input, form })),
        refusals: spec.refusals?.(opened.page),
      });
    },
  };
}

export function registerPages(app: FastifyInstance, routes: readonly PageRoute[]): void {
  for (const route of routes) app.route({ method: route.method, url: route.path, handler: route.handle });
}
