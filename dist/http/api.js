import { z } from "zod";
import { LIMITS } from "../core/config.js";
import { AppError, forbidden, unauthorized, validationFailed } from "../core/errors.js";
import { CSRF_HEADER, csrfTokenMatches } from "./csrf.js";
export const API_PREFIX = "/api/v1";
function parse(schema, value, where) {
    if (!schema)
        return undefined;
    const result = schema.safeParse(value ?? {});
    if (result.success)
        return result.data;
    const fields = {};
    for (const issue of result.error.issues) {
        const key = issue.path.length ? issue.path.join(".") : where;
        fields[key] ??= issue.message;
    }
    throw validationFailed(fields);
}
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/**
 * Cookie-authenticated writes must prove they come from our own pages: either a JSON body
 * (a cross-site form cannot send one without a CORS preflight we never grant) or the CSRF header.
 */
function checkCsrf(req) {
    if (req.actor?.via !== "session" || !UNSAFE.has(req.method))
        return;
    const type = req.headers["content-type"] ?? "";
    if (type.startsWith("application/json"))
        return;
    const header = req.headers[CSRF_HEADER];
    if (typeof header === "string" && csrfTokenMatches(req, header))
        return;
    throw forbidden("Missing CSRF protection: send JSON or the X-CSRF-Token header.");
}
/** Types a route's handler from its schemas; domains list their routes and the app registers them. */
export function defineApi(route) {
    return route;
}
export function registerApiRoutes(app, routes) {
    for (const route of routes) {
        app.route({
            method: route.method,
            url: API_PREFIX + route.path,
            ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
            handler: async (req, reply) => {
                if (route.auth === "required" && !req.actor)
                    throw unauthorized();
                checkCsrf(req);
                const input = {
                    params: parse(route.params, req.params, "params"),
                    query: parse(route.query, req.query, "query"),
                    body: parse(route.body, req.body, "body"),
                    actor: req.actor,
                    req,
                    reply,
                };
                const result = await route.handler(input);
                reply.header("cache-control", "no-store");
                reply.code(route.status ?? 200);
                return result ?? { ok: true };
            },
        });
    }
}
export function isAppError(error) {
    return error instanceof AppError;
}
/** Path parameter schemas shared by many routes. */
export const idParams = z.object({
    id: z.coerce.number().int().positive("Unknown id.").max(LIMITS.idMax, "Unknown id."),
});
export const slugParams = z.object({ slug: z.string().min(1).max(64) });
