import Fastify from "fastify";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import { API_PREFIX, registerApiRoutes } from "../http/api.js";
import { apiRoutes } from "./routes.js";
import { buildOpenApi } from "../http/openapi.js";
import { AppError, validationFailed } from "../core/errors.js";
import { SESSION_COOKIE } from "../accounts/session-cookie.js";
import { actorFromApiToken, actorFromSession } from "../accounts/accounts.service.js";
import { registerWeb } from "./pages.js";
import { installRegistries } from "./registry.js";
import { buildJobRegistry } from "./jobs.js";
import { runJobsNow } from "../jobs/jobs.js";
import { renderErrorPage } from "../web/error-page.js";
import { startPostgresListener } from "../live/live.hub.js";
import { LiveHub } from "../core/live-hub.js";
import { installPageCache } from "./page-cache.js";
/** The path of the first string holding a NUL character, which PostgreSQL text cannot store. */
function nulPath(value, path = []) {
    if (typeof value === "string")
        return value.includes("\0") ? path : null;
    if (value === null || typeof value !== "object")
        return null;
    for (const [key, item] of Object.entries(value)) {
        const found = nulPath(item, [...path, key]);
        if (found)
            return found;
    }
    return null;
}
function errorBody(code, message, fields) {
    return { error: { code, message, ...(fields ? { fields } : {}) } };
}
export async function buildApp(deps, options = {}) {
    installRegistries();
    // The deliveries of the events a request's transaction emitted run right after it commits.
    const jobs = buildJobRegistry();
    deps.runJobsNow ??= (ids) => runJobsNow(deps, jobs, ids);
    // forceCloseConnections: open event streams must not hold up a shutdown.
    const app = Fastify({
        logger: options.logger ?? false,
        trustProxy: options.trustProxy ?? false,
        bodyLimit: 1024 * 1024,
        forceCloseConnections: true,
    });
    deps.live ??= new LiveHub();
    const hub = deps.live;
    if (deps.dialect === "postgres") {
        const listener = await startPostgresListener(deps, hub);
        app.addHook("onClose", () => listener.stop());
    }
    await installPageCache(app, deps);
    await app.register(cookie);
    await app.register(formbody);
    // An empty JSON body (POST /join with Content-Type: application/json) is no body, not an error.
    app.removeContentTypeParser("application/json");
    app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, text, done) => {
        if (text === "" || text === undefined)
            return done(null, undefined);
        try {
            done(null, JSON.parse(text));
        }
        catch {
            done(new AppError("bad_request", "The request body is not valid JSON."), undefined);
        }
    });
    app.decorateRequest("actor", null);
    app.addHook("onRequest", async (req) => {
        // Anonymous requests carry neither cookie nor token and cost no query.
        const bearer = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
        if (bearer) {
            req.actor = await actorFromApiToken(deps, bearer[1]);
            if (!req.actor)
                throw new AppError("unauthorized", "Invalid API token.");
            return;
        }
        const session = req.cookies[SESSION_COOKIE];
        if (session)
            req.actor = await actorFromSession(deps, session);
    });
    // Every route, API and form alike, refuses NUL characters the same way on both databases,
    // rather than failing at PostgreSQL's insert.
    app.addHook("preValidation", async (req) => {
        for (const [where, value] of [
            ["body", req.body],
            ["query", req.query],
            ["params", req.params],
        ]) {
            const path = nulPath(value);
            if (path)
                throw validationFailed({ [path.length ? path.join(".") : where]: "Remove the NUL character." });
        }
    });
    app.setErrorHandler((error, req, reply) => {
        const isApi = req.url.startsWith(API_PREFIX);
        let status;
        let body;
        if (error instanceof AppError) {
            status = error.status;
            body = errorBody(error.code, error.message, error.fields);
        }
        else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
            // Fastify's own client errors: body too large, unsupported media type, bad content.
            status = error.statusCode === 413 || error.statusCode === 415 ? error.statusCode : 400;
            body = errorBody("bad_request", error.message);
        }
        else {
            req.log.error(error);
            status = 500;
            body = errorBody("internal", "Something went wrong on our side.");
        }
        reply.code(status);
        if (isApi)
            return reply.header("cache-control", "no-store").send(body);
        return renderErrorPage(req, reply, deps, status, body.error.message);
    });
    app.get("/healthz", async () => ({ ok: true }));
    const routes = apiRoutes(deps, hub);
    registerApiRoutes(app, routes);
    const openApi = buildOpenApi(routes, deps.config.baseUrl);
    app.get(`${API_PREFIX}/openapi.json`, async () => openApi);
    app.setNotFoundHandler((req, reply) => {
        const message = "Page not found.";
        reply.code(404);
        if (req.url.startsWith(API_PREFIX))
            return reply.send(errorBody("not_found", "No such endpoint."));
        return renderErrorPage(req, reply, deps, 404, message);
    });
    await registerWeb(app, deps);
    return app;
}
