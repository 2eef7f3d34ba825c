import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { LANGUAGE_COOKIE, LOCALES } from "../i18n/i18n.ts";
import { blankForm } from "../web/forms.ts";
import { localPath } from "../web/page.ts";
import { defineForm, definePage, type PageRoute } from "../web/page-route.ts";
import { passwordResetBody } from "./accounts.schema.ts";
import { confirmPasswordReset, requestPasswordReset } from "./accounts.recovery.ts";
import { confirmEmail } from "./accounts.me.ts";
import { linkIsUsable } from "./accounts.links.ts";
import { newPasswordView, resetDoneView, resetRequestView, verifyView } from "./accounts.recovery.views.ts";
import { newPassword } from "./accounts.schema.ts";

const tokenParams = z.object({ token: z.string().min(1).max(200) });

/** A year, for the anonymous visitor's language choice. */
const LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600;

/** Password reset, email confirmation and the anonymous language switcher. */
export function recoveryPages(deps: Deps): PageRoute[] {
  return [
    definePage(deps, {
      path: "/password-reset",
      query: z.object({ sent: z.literal("1").optional().catch(undefined) }),
      render: async ({ page, query }) => resetRequestView(page, blankForm(), query.sent === "1"),
    }),
    defineForm(deps, {
      path: "/password-reset",
      auth: "optional",
      schema: passwordResetBody,
      run: async ({ page, data }) => {
        await requestPasswordReset(deps, { email: data.email, ip: page.req.ip });
        return "/password-reset?sent=1";
      },
      rerender: async ({ page, form }) => resetRequestView(page, form, false),
    }),
    definePage(deps, {
      path: "/password-reset/:token",
      params: tokenParams,
      render: async ({ page, params }) =>
        newPasswordView(
          page,
          params.token,
          blankForm(),
          await linkIsUsable(deps.db, deps.clock.now(), "password_reset", params.token),
        ),
    }),
    defineForm(deps, {
      path: "/password-reset/:token",
      params: tokenParams,
      auth: "optional",
      schema: z.object({ password: newPassword }),
      run: async ({ params, data }) => {
        await confirmPasswordReset(deps, { token: params.token, password: data.password });
        return "/password-reset/done";
      },
      rerender: async ({ page, params, form }) => newPasswordView(page, params.token, form, !form.errors.token),
      refusals: () => ({ validation_failed: { token: "invalid" } }),
    }),
    definePage(deps, {
      path: "/password-reset/done",
      render: async ({ page }) => resetDoneView(page),
    }),
    // Opening the link shows a button: mail scanners that fetch links do not use it up.
    definePage(deps, {
      path: "/verify-email/:token",
      params: tokenParams,
      render: async ({ page, params }) => verifyView(page, params.token, "ask"),
    }),
    defineForm(deps, {
      path: "/verify-email/:token",
      params: tokenParams,
      auth: "optional",
      schema: z.object({}),
      run: async ({ params }) => {
        await confirmEmail(deps, params.token);
        return "/verify-email/done";
      },
      rerender: async ({ page, params, form }) =>
        verifyView(page, params.token, form.errors.token === "taken" ? "taken" : "invalid"),
      refusals: () => ({ validation_failed: { token: "invalid" }, conflict: { token: "taken" } }),
    }),
    definePage(deps, {
      path: "/verify-email/done",
      render: async ({ page }) => verifyView(page, "", "done"),
    }),
    definePage(deps, {
      path: "/language/:locale",
      params: z.object({ locale: z.enum(LOCALES) }),
      query: z.object({ next: z.unknown().optional() }),
      render: async ({ page, params, query }) => {
        page.reply.setCookie(LANGUAGE_COOKIE, params.locale, {
          path: "/",
          sameSite: "lax",
          secure: deps.config.secureCookies,
          maxAge: LANGUAGE_COOKIE_SECONDS,
        });
        return { redirect: localPath(query.next), status: 303 };
      },
    }),
  ];
}
