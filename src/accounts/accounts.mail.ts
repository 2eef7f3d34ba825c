import type { Deps } from "../core/deps.ts";
import { isLocale, translator, type MessageKey } from "../i18n/i18n.ts";
import { html } from "../web/html.ts";
import type { User } from "../db/schema.ts";
import { queueEmail } from "../notifications/index.ts";
import { issueLink } from "./accounts.links.ts";
import { hitRateLimit } from "../lib/rate-limit.ts";
import { emailDocument } from "../web/email.ts";

/** The emails accounts send: each a subject, a paragraph and, for links, the button to follow. */
export type AccountEmail = "password_reset" | "verify_email" | "change_email" | "email_changing";

const KEYS: Record<AccountEmail, { subject: MessageKey; body: MessageKey; action?: MessageKey }> = {
  password_reset: { subject: "mail.reset.subject", body: "mail.reset.body", action: "mail.reset.action" },
  verify_email: { subject: "mail.verify.subject", body: "mail.verify.body", action: "mail.verify.action" },
  change_email: { subject: "mail.change.subject", body: "mail.change.body", action: "mail.change.action" },
  email_changing: { subject: "mail.changing.subject", body: "mail.changing.body" },
};

/** Composes an account email in the member's language and queues it (delivered by the job queue). */
export async function sendAccountEmail(
  deps: Deps,
  email: AccountEmail,
  to: { userId: number; address: string; locale: string | null },
  params: { link?: string; newEmail?: string } = {},
): Promise<void> {
  const locale = isLocale(to.locale) ? to.locale : "en";
  const t = translator(locale);
  const keys = KEYS[email];
  const url = params.link ? `${deps.config.baseUrl}${params.link}` : undefined;
  const body = t(keys.body, { email: params.newEmail ?? "" });
  const action = keys.action && url ? { label: t(keys.action), url } : null;
  const subject = t(keys.subject);
  await queueEmail(deps, {
    userId: to.userId,
    to: to.address,
    kind: `account.${email}`,
    subject,
    text: `${body}\n${action ? `\n${action.label}: ${action.url}\n` : ""}\n-- \n${t("mail.footer")}\n`,
    html: emailDocument(
      locale,
      html`<p>${body}</p>${action ? html`<p><a href="${action.url}">${action.label}</a></p>` : ""}
<p style="font-size:13px;color:#6b7280">${t("mail.footer")}</p>`,
    ),
    headers: {},
  });
}

/** Link emails one address receives per hour and purpose, whoever asks: a mailbox cannot be flooded. */
export const EMAILS_PER_ADDRESS = { max: 3, windowMs: 3600_000 };

/** Sends the link that confirms the member's current address (at signup, or again on request). */
export async function sendVerification(deps: Deps, user: Pick<User, "id" | "email" | "locale">): Promise<void> {
  const token = await issueLink(deps.db, deps.clock.now(), { userId: user.id, purpose: "verify_email" });
  await sendAccountEmail(
    deps,
    "verify_email",
    { userId: user.id, address: user.email, locale: user.locale },
    { link: `/verify-email/${encodeURIComponent(token)}` },
  );
}

/** The member asks for that link again: sent while the address is unconfirmed, 3 an hour at most (429 past that). */
export async function resendVerification(
  deps: Deps,
  user: Pick<User, "id" | "email" | "locale" | "emailVerifiedAt"> | undefined,
): Promise<void> {
  if (!user || user.emailVerifiedAt !== null) return;
  await hitRateLimit(deps.db, `verify-mail:${user.id}`, EMAILS_PER_ADDRESS, deps.clock.now());
  await sendVerification(deps, user);
}
