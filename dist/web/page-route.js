import { unauthorized, validationFailed } from "../core/errors.js";
import { pageContext } from "./layout.js";
import { pathParams, sendPage } from "./page.js";
import { anonymousPageKey, sendSharedPage } from "./page-cache.js";
import { submitForm } from "./forms.js";
function isRedirect(value) {
    return "redirect" in value;
}
/** The opening every page shares: the page context, path parameters, the signed-in check, the load step. */
async function open(spec, deps, req, reply) {
    const page = pageContext(req, reply, deps);
    const params = spec.params ? pathParams(spec.params, req.params) : undefined;
    if (spec.auth === "required" && !page.actor)
        throw unauthorized();
    const actor = page.actor;
    const context = spec.load ? await spec.load({ params, actor, page }) : undefined;
    return { page, params, actor, context };
}
function parseQuery(schema, query) {
    if (!schema)
        return undefined;
    // Empty filter fields mean "any": GET forms send them as empty strings.
    const present = Object.fromEntries(Object.entries((query ?? {})).filter(([, v]) => v !== ""));
    const result = schema.safeParse(present);
    if (result.success)
        return result.data;
    throw validationFailed(Object.fromEntries(result.error.issues.map((i) => [String(i.path[0] ?? "query"), i.message])));
}
/** An HTML page: path, parameters, who may see it, what it loads, and how it renders (the counterpart of defineApi). */
export function definePage(deps, spec) {
    return {
        method: "GET",
        path: spec.path,
        handle: async (req, reply) => {
            // An anonymous visitor may get the page another one had rendered, before anything is read.
            const cache = req.actor === null ? deps.pageCache : undefined;
            const cached = cache?.lookup(anonymousPageKey(req), deps.clock.now());
            if (cache && cached)
                return sendSharedPage(req, reply, cached, cache, "hit");
            const mark = cache?.mark();
            const opened = await open(spec, deps, req, reply);
            opened.page.cacheMark = mark;
            const result = await spec.render({ ...opened, query: parseQuery(spec.query, req.query) });
            if (isRedirect(result))
                return reply.redirect(result.redirect, result.status ?? 302);
            return sendPage(opened.page, result);
        },
    };
}
/**
 * A form post: the same opening as a page (forms need a signed-in member unless `auth` says
 * otherwise), then the form pipeline of forms.ts (CSRF, the API's schema, the use case, 303).
 */
export function defineForm(deps, spec) {
    return {
        method: "POST",
        path: spec.path,
        handle: async (req, reply) => {
            const opened = await open({ auth: "required", ...spec }, deps, req, reply);
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
export function registerPages(app, routes) {
    for (const route of routes)
        app.route({ method: route.method, url: route.path, handler: route.handle });
}
