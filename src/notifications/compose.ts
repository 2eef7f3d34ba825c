import { html, type Html } from "../web/html.ts";
import { translator, type Locale, type Translate } from "../i18n/i18n.ts";
import { emailDocument } from "../web/email.ts";

export interface EmailLinks {
  /** Absolute URL of what the email is about. */
  url: string;
  unsubscribeUrl: string;
  settingsUrl: string;
}

function wrap(body: Html, locale: Locale, links: EmailLinks): string {
  const t = translator(locale);
  return emailDocument(
    locale,
    html`${body}
<hr style="border:none;border-top:1px solid #e5e7eb">
<p style="font-size:13px;color:#6b7280">${t("email.footer")}<br>
<a href="${links.unsubscribeUrl}">${t("email.unsubscribe")}</a> · <a
  href="${links.settingsUrl}">${t("email.manage")}</a></p>`,
  );
}

function textFooter(t: Translate, links: EmailLinks): string {
  return `\n\n-- \n${t("email.footer")}\n${t("email.unsubscribe")}: ${links.unsubscribeUrl}\n${t("email.manage")}: ${
    links.settingsUrl
  }\n`;
}

/** One notification as an email, in plain text and HTML. */
export function composeNotificationEmail(
  locale: Locale,
  message: string,
  excerpt: string | undefined,
  links: EmailLinks,
) {
  const t = translator(locale);
  const text = `${message}\n${excerpt ? `\n${excerpt}\n` : ""}\n${t("email.open")}: ${links.url}${textFooter(
    t,
    links,
  )}`;
  const body = html`<p><strong>${message}</strong></p>${
    excerpt
      ? html`<blockquote
    style="color:#374151">${excerpt}</blockquote>`
      : ""
  }
<p><a href="${links.url}">${t("email.open")}</a></p>`;
  return { subject: message, text, html: wrap(body, locale, links) };
}

/** Several notifications in one digest email. */
export function composeDigestEmail(
  locale: Locale,
  subject: string,
  items: { message: string; url: string }[],
  links: Omit<EmailLinks, "url">,
) {
  const t = translator(locale);
  const full = { ...links, url: links.settingsUrl };
  const text = `${t("email.digest.intro")}\n\n${items.map((i) => `- ${i.message}\n  ${i.url}`).join("\n")}${textFooter(
    t,
    full,
  )}`;
  const body = html`<p>${t("email.digest.intro")}</p><ul>${items.map(
    (i) => html`<li><a
    href="${i.url}">${i.message}</a></li>`,
  )}</ul>`;
  return { subject, text, html: wrap(body, locale, full) };
}
