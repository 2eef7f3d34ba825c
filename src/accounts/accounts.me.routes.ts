import type { FastifyRequest } from "fastify";
import type { Deps } from "../core/deps.ts";
import { defineApi, slugParams } from "../http/api.ts";
import {
  changeEmailBody,
  changePasswordBody,
  deleteAccountBody,
  sessionParams,
  updateMeBody,
} from "./accounts.schema.ts";
import { getUser, toPublicUser } from "./accounts.service.ts";
import { changePassword, requestEmailChange, updateMe } from "./accounts.me.ts";
import { resendVerification } from "./accounts.mail.ts";
import { listSessions, logOutEverywhere, revokeSession } from "./accounts.sessions.ts";
import { deleteAccount, exportMyData } from "./accounts.privacy.ts";
import { setAvatar } from "./accounts.avatars.ts";
import { accountSettingsPatch, readAccountSettings, updateAccountSettings } from "./accounts.verification.ts";
import { clearSessionCookie, sessionCookie } from "./session-cookie.ts";
import { communityAccess, listMemberships } from "../communities/index.ts";

/** The cookie of the request's own session, when it came with one (not with an API token). */
export function currentSession(req: FastifyRequest): string | undefined {
  return req.actor?.via === "session" ? sessionCookie(req) : undefined;
}

/** GET /api/v1/me's answer, also returned by the routes that change the account. */
export async function meResponse(deps: Deps, userId: number) {
  const user = await getUser(deps, userId);
  return { user: toPublicUser(user!), memberships: await listMemberships(deps, userId) };
}

/** The signed-in member's own account: profile, password, email, sessions, avatar, export, deletion. */
export function meRoutes(deps: Deps) {
  const me = (userId: number) => meResponse(deps, userId);
  return [
    defineApi({
      method: "GET",
      path: "/me",
      tag: "accounts",
      summary: "The current user (name, language, verified email, avatar) and their community memberships",
      auth: "required",
      handler: async ({ actor }) => me(actor.id),
    }),
    defineApi({
      method: "PATCH",
      path: "/me",
      tag: "accounts",
      summary: "Change the display name or the interface language (which then wins over the browser's)",
      auth: "required",
      body: updateMeBody,
      handler: async ({ actor, body }) => {
        await updateMe(deps, actor.id, body);
        return me(actor.id);
      },
    }),
    defineApi({
      method: "PUT",
      path: "/me/password",
      tag: "accounts",
      summary: "Change the password (the current one required: 403 if wrong); other sessions and API tokens end",
      auth: "required",
      body: changePasswordBody,
      handler: async ({ actor, body, req }) => {
        await changePassword(deps, actor.id, body, currentSession(req));
        return { ok: true };
      },
    }),
    defineApi({
      method: "PUT",
      path: "/me/email",
      tag: "accounts",
      summary:
        "Change the email: a confirmation link goes to the new address, the old one is told (202). The password " +
        "confirms it; an account without one (single sign-on) must have signed in recently (else 403)",
      auth: "required",
      body: changeEmailBody,
      status: 202,
      handler: async ({ actor, body, req }) => {
        await requestEmailChange(deps, actor.id, body, currentSession(req));
        return { ok: true };
      },
    }),
    defineApi({
      method: "POST",
      path: "/me/email/verification",
      tag: "accounts",
      summary: "Send the link that confirms the current email address again",
      auth: "required",
      status: 202,
      handler: async ({ actor }) => {
        await resendVerification(deps, await getUser(deps, actor.id));
        return { ok: true };
      },
    }),
    defineApi({
      method: "DELETE",
      path: "/me/avatar",
      tag: "accounts",
      summary: "Remove the avatar; initials are shown instead",
      auth: "required",
      handler: async ({ actor }) => {
        await setAvatar(deps, actor.id, null);
        return me(actor.id);
      },
    }),
    defineApi({
      method: "GET",
      path: "/me/sessions",
      tag: "accounts",
      summary: "The active sessions: device, started, last seen, and which one is this request's",
      auth: "required",
      handler: async ({ actor, req }) => ({
        sessions: await listSessions(deps.db, actor.id, deps.clock.now(), currentSession(req)),
      }),
    }),
    defineApi({
      method: "DELETE",
      path: "/me/sessions/:id",
      tag: "accounts",
      summary: "End one session",
      auth: "required",
      params: sessionParams,
      handler: async ({ actor, params }) => {
        await revokeSession(deps.db, actor.id, params.id);
        return { ok: true };
      },
    }),
    defineApi({
      method: "DELETE",
      path: "/me/sessions",
      tag: "accounts",
      summary: "Log out everywhere: every session but this one ends, and every personal API token is revoked",
      auth: "required",
      handler: async ({ actor, req }) => {
        await logOutEverywhere(deps, actor.id, currentSession(req));
        return { ok: true };
      },
    }),
    defineApi({
      method: "GET",
      path: "/me/export",
      tag: "accounts",
      summary: "Export my data: profile, posts, votes, bookings, messages, notifications, ledger entries (JSON file)",
      auth: "required",
      handler: async ({ actor, reply }) => {
        reply.header("content-disposition", `attachment; filename="crowdservice-my-data-${actor.id}.json"`);
        return exportMyData(deps, actor.id);
      },
    }),
    defineApi({
      method: "DELETE",
      path: "/me",
      tag: "accounts",
      summary:
        'Delete my account (password required): personal data erased, posts credited to "Deleted member". ' +
        "An account without a password (single sign-on) sends its email instead, after a recent sign-in (else 403)",
      auth: "required",
      body: deleteAccountBody,
      status: 204,
      handler: async ({ actor, body, req, reply }) => {
        await deleteAccount(deps, actor.id, body.password, { email: body.email, session: currentSession(req) });
        clearSessionCookie(reply, deps.config.secureCookies);
        return null;
      },
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/settings/accounts",
      tag: "accounts",
      summary: "Whether unverified members may post in the community (staff)",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) => ({
        settings: await readAccountSettings(deps, await communityAccess(deps, { slug: params.slug }, actor)),
      }),
    }),
    defineApi({
      method: "PATCH",
      path: "/communities/:slug/settings/accounts",
      tag: "accounts",
      summary: "Allow or refuse posts from members who have not confirmed their email (community admin)",
      auth: "required",
      params: slugParams,
      body: accountSettingsPatch,
      handler: async ({ actor, params, body }) => ({
        settings: await updateAccountSettings(deps, await communityAccess(deps, { slug: params.slug }, actor), body),
      }),
    }),
  ];
}
