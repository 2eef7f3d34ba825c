import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { loginBody, signupBody } from "./accounts.schema.ts";
import * as accounts from "./accounts.service.ts";
import { clearSessionCookie, sessionCookie, setSessionCookie } from "./session-cookie.ts";
import type { PageContext } from "../web/layout.ts";
import { localPath, redirect } from "../web/page.ts";
import { blankForm } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { loginView, signupView } from "./accounts.views.ts";

/** Where to go after logging in or signing up: a path on this site, else the front page. */
const nextQuery = z.object({
  next: z
    .unknown()
    .optional()
    .transform((next) => localPath(next)),
});

/** Sign up, log in and log out through HTML forms, with the same use cases as the API. */
export function accountPages(deps: Deps): PageRoute[] {
  /** With the password hash a login checked: no session if the password changed meanwhile. */
  const logIn = async (page: PageContext, userId: number, checkedPasswordHash?: string) =>
    setSessionCookie(
      page.reply,
      await accounts.createSession(deps, userId, page.req.headers["user-agent"], checkedPasswordHash),
      deps.config.secureCookies,
    );

  return [
    definePage(deps, {
      path: "/login",
      query: nextQuery,
      render: async ({ page, query: { next } }) =>
        page.actor ? { redirect: next, status: 303 } : loginView(page, blankForm(), next),
    }),

    defineForm(deps, {
      path: "/login",
      auth: "optional",
      schema: loginBody,
      run: async ({ page, data, values }) => {
        const user = await accounts.authenticate(deps, { ...data, ip: page.req.ip });
        await logIn(page, user.id, user.passwordHash);
        return localPath(values.next);
      },
      rerender: async ({ page, form }) => loginView(page, form, localPath(form.values.next)),
      refusals: (page) => ({ unauthorized: { _form: page.t("login.failed") } }),
    }),

    definePage(deps, {
      path: "/signup",
      query: nextQuery,
      render: async ({ page, query: { next } }) =>
        page.actor ? { redirect: next, status: 303 } : signupView(page, blankForm(), next),
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

    logoutForm(deps),
  ];
}

/**
 * Logging out needs the session's CSRF token. Without a signed-in session there is nothing to end and
 * no token to check (the form's was the ended session's): a second tab that already logged out just
 * lands on the front page.
 */
function logoutForm(deps: Deps): PageRoute {
  const form = defineForm(deps, {
    path: "/logout",
    schema: z.object({}),
    run: async ({ page }) => {
      const token = sessionCookie(page.req);
      if (token) await accounts.endSession(deps, token);
      clearSessionCookie(page.reply, deps.config.secureCookies);
      return "/";
    },
  });
  return {
    ...form,
    handle: async (req, reply) => {
      if (req.actor) return form.handle(req, reply);
      // An ended or expired session's cookie authenticates nothing; it goes all the same.
      if (sessionCookie(req)) clearSessionCookie(reply, deps.config.secureCookies);
      return redirect(reply, "/");
    },
  };
}
