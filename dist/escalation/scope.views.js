import { html } from "../web/html.js";
import { can } from "../access/privileges.js";
/**
 * What askers are told about scope and expectations: on the new-topic form, each category's
 * expectation and who answers there, and a warning against posting personal data in the open.
 */
export function expectationsNotice(page, categories) {
    const { t } = page;
    const notes = categories.flatMap((c) => {
        const text = [
            c.scope === "private" ? t("scope.privateNote") : c.scope === "staff_only" ? t("scope.staffOnlyNote") : "",
            c.expectation,
        ]
            .filter(Boolean)
            .join(" ");
        return text ? [html `<li><strong>${c.name}</strong>: ${text}</li>`] : [];
    });
    return html `<section class="card expectations" id="expectations" aria-labelledby="expectations-title">
<h2 id="expectations-title">${t("scope.expectTitle")}</h2>
${notes.length ? html `<ul>${notes}</ul>` : ""}
<p class="form-alert" role="note"><strong>${t("scope.personalData")}</strong></p>
</section>`;
}
/** For staff on a topic page: the way to its case (escalate, assign, internal notes, resolve). */
export function staffPanelLink(page, access, topicUrl) {
    return can(access, "queue.work")
        ? html `<p class="staff-panel"><a class="button subtle" href="${topicUrl}/case">${page.t("scope.casePanel")}</a></p>`
        : html ``;
}
/** The staff case link on a topic page (a topic panel). */
export const casePanel = (page, data) => staffPanelLink(page, data.access, data.topic.url);
/** What to expect in each category, on the new-topic form (a part of the form). */
export const expectationsIntro = (page, data) => expectationsNotice(page, data.categories);
