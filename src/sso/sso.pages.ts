import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { setSessionCookie, createSession } from "../accounts/index.ts";
import { pageContext } from "../web/layout.ts";
import { localPath, pathParams, sendPage } from "../web/page.ts";
import { definePage, type PageRoute } from "../web/page-route.ts";
import { authorizationRequest, providerNamed, redeemCallback, SsoFailure } from "./sso.client.ts";
import { savePendingLogin, takePendingLogin } from "./sso.pending.ts";
import { accountForLogin } from "./sso.service.ts";
import { failureView } from "./sso.views.ts";

const providerParams = z.object({ provider: z.string().min(1).max(40) });
const nextQuery = z.object({
  next: z
    .unknown()
    .optional()
    .transform((next) => localPath(next)),
});

/** Refusals a person can do something about (another account, another address) are 403; broken exchanges 400. */
const PERSONAL_REFUSALS = new Set(["email_missing", "email_unverified"]);

/** Single sign-on pages: the redirect to the provider, and the callback that logs in or signs up. */
export function ssoPages(deps: Deps): PageRoute[] {
  return [
    definePage(deps, {
      path: "/auth/oidc/:provider",
      params: providerParams,
      query: nextQuery,
      render: async ({ page, params, query: { next } }) => {
        const provider = providerNamed(deps.config, params.provider);
        const { url, checks } = await authorizationRequest(deps.config, provider);
        await savePendingLogin(deps, page.reply, { provider: provider.name, next, ...checks });
        return { redirect: url, status: 302 };
      },
    }),

    {
      method: "GET",
      path: "/auth/oidc/:provider/callback",
      handle: async (req, reply) => {
        const page = pageContext(req, reply, deps);
        const provider = providerNamed(deps.config, pathParams(providerParams, req.params).provider);
        const pending = await takePendingLogin(deps, req, reply, provider.name);
        try {
          if (!pending) throw new SsoFailure("state", "No sign-in was started here, or it expired.");
          const query = req.url.slice(req.url.indexOf("?") + 1);
          const claims = await redeemCallback(deps.config, provider, pending, req.url.includes("?") ? query : "");
          const userId = await accountForLogin(deps, provider, claims);
          setSessionCookie(reply, await createSession(deps, userId), deps.config.secureCookies);
          return reply.redirect(pending.next, 303);
        } catch (error) {
          if (!(error instanceof SsoFailure)) throw error;
          req.log.warn({ provider: provider.name, reason: error.reason }, `single sign-on refused: ${error.message}`);
          page.personal = true;
          return sendPage(
            page,
            failureView(page, provider, error.reason),
            PERSONAL_REFUSALS.has(error.reason) ? 403 : 400,
          );
        }
      },
    },
  ];
}
