import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import type { OidcProviderConfig } from "../core/config.ts";
import { setSessionCookie, createSession } from "../accounts/index.ts";
import { pageContext } from "../web/layout.ts";
import { localPath, pathParams, sendPage } from "../web/page.ts";
import type { PageRoute } from "../web/page-route.ts";
import {
  authorizationRequest,
  providerNamed,
  redeemCallback,
  SsoFailure,
  type SsoFailureReason,
} from "./sso.client.ts";
import { savePendingLogin, takePendingLogin } from "./sso.pending.ts";
import { accountForLogin } from "./sso.service.ts";
import { failureView } from "./sso.views.ts";

/** The longest path to return to that the pending login carries (its cookie must stay under 4096 bytes). */
const NEXT_MAX = 2000;

const providerParams = z.object({ provider: z.string().min(1).max(40) });

/** Refusals a person can act on are 403, a provider we could not talk to 502, a broken or forged exchange 400. */
const STATUS: Record<SsoFailureReason, number> = {
  state: 400,
  nonce: 400,
  code: 400,
  denied: 400,
  exchange: 502,
  email_missing: 403,
  email_invalid: 403,
  email_unverified: 403,
  email_linked: 403,
};

/**
 * An SSO page: the provider named in the path, and the work; an SsoFailure (the provider refusing,
 * unreachable or answering wrong) is a page saying why, with the ways on, and a line in the log.
 * Any other error is ours, not the provider's, and goes to the app's error handling.
 */
function ssoRoute(
  deps: Deps,
  path: string,
  work: (req: FastifyRequest, reply: FastifyReply, provider: OidcProviderConfig) => Promise<FastifyReply>,
): PageRoute {
  return {
    method: "GET",
    path,
    handle: async (req, reply) => {
      const provider = providerNamed(deps.config, pathParams(providerParams, req.params).provider);
      try {
        return await work(req, reply, provider);
      } catch (failure) {
        if (!(failure instanceof SsoFailure)) throw failure;
        req.log.warn({ provider: provider.name, reason: failure.reason }, `single sign-on refused: ${failure.message}`);
        const page = pageContext(req, reply, deps);
        page.personal = true;
        return sendPage(page, failureView(page, provider, failure.reason), STATUS[failure.reason]);
      }
    },
  };
}

/** Single sign-on pages: the redirect to the provider, and the callback that logs in or signs up. */
export function ssoPages(deps: Deps): PageRoute[] {
  return [
    ssoRoute(deps, "/auth/oidc/:provider", async (req, reply, provider) => {
      const asked = localPath((req.query as Record<string, unknown>).next);
      // The pending login's cookie must stay under the 4 KB browsers keep: a longer path goes home.
      const next = asked.length > NEXT_MAX ? "/" : asked;
      const { url, checks } = await authorizationRequest(deps.config, provider);
      await savePendingLogin(deps, reply, { provider: provider.name, next, ...checks });
      return reply.redirect(url, 302);
    }),

    ssoRoute(deps, "/auth/oidc/:provider/callback", async (req, reply, provider) => {
      const pending = await takePendingLogin(deps, req, reply, provider.name);
      if (!pending) throw new SsoFailure("state", "No sign-in was started in this browser, or it expired.");
      const query = req.url.includes("?") ? req.url.slice(req.url.indexOf("?") + 1) : "";
      const claims = await redeemCallback(deps.config, provider, pending, query);
      const userId = await accountForLogin(deps, provider, claims);
      const session = await createSession(deps, userId, req.headers["user-agent"]);
      setSessionCookie(reply, session, deps.config.secureCookies);
      return reply.redirect(pending.next, 303);
    }),
  ];
}
