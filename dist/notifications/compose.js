import { html } from "../web/html.js";
function wrap(body, t, links) {
    return html `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937;max-width:36rem">
${body}
<hr style="border:none;border-top:1px solid #e5e7eb">
<p style="font-size:13px;color:#6b7280">${t("email.footer")}<br>
<a href="${links.unsubscribeUrl}">${t("email.unsubscribe")}</a> · <a href="${links.settingsUrl}">${t("email.manage")}</a></p>
</body></html>`.value;
}
function textFooter(t, links) {
    return `\n\n-- \n${t("email.footer")}\n${t("email.unsubscribe")}: ${links.unsubscribeUrl}\n${t("email.manage")}: ${links.settingsUrl}\n`;
}
/** One notification as an email, in plain text and HTML. */
export function composeNotificationEmail(t, message, excerpt, links) {
    const text = `${message}\n${excerpt ? `\n${excerpt}\n` : ""}\n${t("email.open")}: ${links.url}${textFooter(t, links)}`;
    const body = html `<p><strong>${message}</strong></p>${excerpt ? html `<blockquote style="color:#374151">${excerpt}</blockquote>` : ""}
<p><a href="${links.url}">${t("email.open")}</a></p>`;
    return { subject: message, text, html: wrap(body, t, links) };
}
/** Several notifications in one digest email. */
export function composeDigestEmail(t, subject, items, links) {
    const full = { ...links, url: links.settingsUrl };
    const text = `${t("email.digest.intro")}\n\n${items.map((i) => `- ${i.message}\n  ${i.url}`).join("\n")}${textFooter(t, full)}`;
    const body = html `<p>${t("email.digest.intro")}</p><ul>${items.map((i) => html `<li><a href="${i.url}">${i.message}</a></li>`)}</ul>`;
    return { subject, text, html: wrap(body, t, full) };
}
