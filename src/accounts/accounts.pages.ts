import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { loginBody, signupBody } from "./accounts.schema.ts";
import * as accounts from "./accounts.service.ts";
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from "./session-cookie.ts";
import { pageContext } from "../web/layout.ts";
import { localPath, redirect, sendPage } from "../web/page.ts";
import { blankForm, submitForm } from "../web/forms.ts";
import { loginView, signupView } from "./accounts.views.ts";

/** Sign up, log in and log out through HTML forms, with the same use cases as the API. */
export function registerAccountPages(app: FastifyInstance, deps: Deps): void {
  const secure = deps.config.secureCookies;
  const nextOf = (source: unknown) => localPath((source as { next?: unknown } | undefined)?.next);

  app.get("/login", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const next = nextOf(req.query);
    if (page.actor) return redirect(reply, next);
    return sendPage(page, loginView(page, blankForm(), next));
  });

  app.post("/login", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const next = nextOf(req.body);
    return submitForm(page, {
      schema: loginBody,
      run: async (input) => {
        const user = await accounts.authenticate(deps, { ...input, ip: req.ip });
        setSessionCookie(reply, await accounts.createSession(deps, user.id), secure);
        return next;
      },
      rerender: (form) => loginView(page, form, next),
      refusals: { unauthorized: { _form: page.t("login.failed") } },
    });
  });

  app.get("/signup", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const next = nextOf(req.query);
    if (page.actor) return redirect(reply, next);
    return sendPage(page, signupView(page, blankForm(), next));
  });

  app.post("/signup", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const next = nextOf(req.body);
    return submitForm(page, {
      schema: signupBody,
      run: async (input) => {
        const user = await accounts.signup(deps, { ...input, ip: req.ip });
        setSessionCookie(reply, await accounts.createSession(deps, user.id), secure);
        return next;
      },
      rerender: (form) => signupView(page, form, next),
      refusals: { conflict: { email: page.t("signup.emailTaken") } },
    });
  });

  app.post("/logout", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    return submitForm(page, {
      schema: z.object({}),
      run: async () => {
        const token = req.cookies[SESSION_COOKIE];
        if (token) await accounts.endSession(deps, token);
        clearSessionCookie(reply, secure);
        return "/";
      },
    });
  });
}
