import { html, raw } from "../web/html.js";
import { formAlert, inputField, textareaField } from "../web/fields.js";
import { badge, breadcrumbs, timeAgo } from "../web/components.js";
function trail(page, community, label, academy = true) {
    return breadcrumbs(page, [
        { label: page.t("home.title"), href: "/" },
        { label: community.name, href: `/c/${community.slug}` },
        ...(academy ? [{ label: page.t("academy.title"), href: `/c/${community.slug}/academy` }] : []),
        { label },
    ]);
}
export function courseListView(page, community, data) {
    const { t } = page;
    return {
        title: t("academy.title"),
        content: html `${trail(page, community, t("academy.title"), false)}
<div class="page-head"><h1>${t("academy.title")}</h1>${data.abilities.create ? html `<a class="button primary" href="/c/${community.slug}/academy/new">${t("academy.new")}</a>` : ""}</div>
<p class="lead">${t("academy.lead")}</p>
${data.courses.length
            ? html `<ul class="plain-list" role="list">${data.courses.map((c) => html `<li class="card"><h2><a href="${c.url}">${c.title}</a> ${c.certified ? badge(`✓ ${t("academy.certified")}`, "success") : ""}</h2><p>${c.description}</p></li>`)}</ul>`
            : html `<p class="empty">${t("academy.empty")}</p>`}`,
    };
}
function quizForm(page, course) {
    const { t } = page;
    return html `<form method="post" action="${course.url}/attempt" class="quiz">${page.csrfField()}
${course.questions.map((q, i) => html `<fieldset><legend>${i + 1}. ${q.text} <span class="hint">(${t(q.kind === "single" ? "academy.single" : "academy.multiple")})</span></legend>
${q.options.map((o) => q.kind === "single"
        ? html `<label><input type="radio" name="q${q.id}" value="${o.id}"> ${o.text}</label>`
        : html `<label><input type="checkbox" name="q${q.id}-${o.id}" value="1"> ${o.text}</label>`)}</fieldset>`)}
<button type="submit" class="button primary">${t("academy.submit")}</button>
</form>`;
}
function standing(page, course) {
    const { t } = page;
    const me = course.me;
    if (!me)
        return html `<p class="card">${t("academy.loginToTake")}</p>`;
    if (me.certified)
        return html `<p class="card status-line">${badge(`✓ ${t("academy.certified")}`, "success")}${me.certification?.expiresAt ? html ` ${t("academy.validUntil")} ${timeAgo(page, me.certification.expiresAt)}` : ""}</p>`;
    return html `<p class="card" role="status">${me.lastScore !== null ? html `${t("academy.lastScore", { score: me.lastScore, passMark: course.passMark })} ` : ""}${t("academy.attemptsLeft", { count: me.attemptsLeft })}${me.nextAttemptAt ? html ` ${t("academy.nextAttempt")} ${timeAgo(page, me.nextAttemptAt)}` : ""}</p>`;
}
export function courseView(page, community, course) {
    const { t } = page;
    return {
        title: course.title,
        content: html `${trail(page, community, course.title)}
<h1>${course.title}</h1>
<p class="lead">${course.description}</p>
${course.lessons.map((l, i) => html `<section class="card lesson" aria-labelledby="lesson-${l.id}"><h2 id="lesson-${l.id}">${i + 1}. ${l.title}</h2><div class="prose">${raw(l.bodyHtml)}</div></section>`)}
<section aria-labelledby="quiz-title"><h2 id="quiz-title">${t("academy.quiz")}</h2>
<p>${t("academy.passMark", { passMark: course.passMark })}</p>
${standing(page, course)}
${course.me?.canAttempt ? quizForm(page, course) : ""}
</section>`,
    };
}
export function newCourseView(page, community, form) {
    const { t } = page;
    const labels = {
        title: t("academy.field.title"),
        description: t("academy.field.description"),
        passMark: t("academy.field.passMark"),
        maxAttempts: t("academy.field.maxAttempts"),
        cooldownMinutes: t("academy.field.cooldown"),
        validityDays: t("academy.field.validity"),
        lessons: t("academy.field.lessons"),
        questions: t("academy.field.questions"),
    };
    const values = { passMark: "80", maxAttempts: "3", cooldownMinutes: "60", ...form.values };
    const state = { ...form, values };
    return {
        title: t("academy.new"),
        content: html `${trail(page, community, t("academy.new"))}
<h1>${t("academy.new")}</h1>
${formAlert(page, form, labels)}
<form method="post" action="/c/${community.slug}/academy/new" novalidate class="card grid-form">${page.csrfField()}
${inputField({ form: state, name: "title", label: labels.title, maxlength: 120, required: true })}
${inputField({ form: state, name: "passMark", label: labels.passMark, type: "number" })}
${inputField({ form: state, name: "maxAttempts", label: labels.maxAttempts, type: "number" })}
${inputField({ form: state, name: "cooldownMinutes", label: labels.cooldownMinutes, type: "number" })}
${inputField({ form: state, name: "validityDays", label: labels.validityDays, type: "number", hint: t("academy.field.validityHint") })}
${textareaField({ form: state, name: "description", label: labels.description, rows: 2 })}
${textareaField({ form: state, name: "lessons", label: labels.lessons, rows: 8, hint: t("academy.field.lessonsHint") })}
${textareaField({ form: state, name: "questions", label: labels.questions, rows: 10, hint: t("academy.field.questionsHint"), required: true })}
<div class="actions"><button type="submit" class="button primary">${t("academy.create")}</button></div>
</form>`,
    };
}
