import { z } from "zod";
import { loginBody, signupBody } from "./accounts.schema.js";
import * as accounts from "./accounts.service.js";
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from "./session-cookie.js";
import { localPath } from "../web/page.js";
import { blankForm } from "../web/forms.js";
import { definePage, defineForm } from "../web/page-route.js";
import { loginView, signupView } from "./accounts.views.js";
/** Where to go after logging in or signing up: a path on this site, else the front page. */
const nextQuery = z.object({
    next: z
        .unknown()
        .optional()
        .transform((next) => localPath(next)),
});
/** Sign up, log in and log out through HTML forms, with the same use cases as the API. */
export function accountPages(deps) {
    const logIn = async (page, userId) => setSessionCookie(page.reply, await accounts.createSession(deps, userId), deps.config.secureCookies);
    return [
        definePage(deps, {
            path: "/login",
            query: nextQuery,
            render: async ({ page, query: { next } }) => page.actor ? { redirect: next, status: 303 } : loginView(page, blankForm(), next),
        }),
        defineForm(deps, {
            path: "/login",
            auth: "optional",
            schema: loginBody,
            run: async ({ page, data, values }) => {
                const user = await accounts.authenticate(deps, { ...data, ip: page.req.ip });
                await logIn(page, user.id);
                return localPath(values.next);
            },
            rerender: async ({ page, form }) => loginView(page, form, localPath(form.values.next)),
            refusals: (page) => ({ unauthorized: { _form: page.t("login.failed") } }),
        }),
        definePage(deps, {
            path: "/signup",
            query: nextQuery,
            render: async ({ page, query: { next } }) => page.actor ? { redirect: next, status: 303 } : signupView(page, blankForm(), next),
        }),
        defineForm(deps, {
            path: "/signup",
            auth: "optional",
            schema: signupBody,
            run: async ({ page, data, values }) => {
                const user = await accounts.signup(deps, { ...data, ip: page.req.ip });
                await logIn(page, user.id);
                return localPath(values.next);
            },
            rerender: async ({ page, form }) => signupView(page, form, localPath(form.values.next)),
            refusals: (page) => ({ conflict: { email: page.t("signup.emailTaken") } }),
        }),
        // Logging out needs no session: a second tab that already logged out just lands on the front page.
        defineForm(deps, {
            path: "/logout",
            auth: "optional",
            schema: z.object({}),
            run: async ({ page }) => {
                const token = page.req.cookies[SESSION_COOKIE];
                if (token)
                    await accounts.endSession(deps, token);
                clearSessionCookie(page.reply, deps.config.secureCookies);
                return "/";
            },
        }),
    ];
}
