import { html, raw, type Html } from "../web/html.ts";
import { loginUrl } from "../web/page.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { FormState } from "../web/forms.ts";
import { formAlert, inputField, selectField, textareaField } from "../web/fields.ts";
import { badge, communityCrumbs, dayOf, timeAt, type CommunityRef, emptyState } from "../web/components.ts";

import type { getCourse, listCourses } from "./academy.service.ts";

type Course = Awaited<ReturnType<typeof getCourse>>["course"];

/** Academy pages sit under the academy's own page (the course list is that page). */
function trail(page: PageContext, community: CommunityRef, label: string, academy = true): Html {
  const academyCrumb = { label: page.t("academy.title"), href: `/c/${community.slug}/academy` };
  return communityCrumbs(page, community, ...(academy ? [academyCrumb] : []), { label });
}

export function courseListView(
  page: PageContext,
  community: CommunityRef,
  data: Awaited<ReturnType<typeof listCourses>>,
): PageView {
  const { t } = page;
  return {
    title: t("academy.title"),
    content: html`${trail(page, community, t("academy.title"), false)}
<div class="page-head"><h1>${t("academy.title")}</h1>${
      data.abilities.create
        ? html`<a class="button primary"
  href="/c/${community.slug}/academy/new">${t("academy.new")}</a>`
        : ""
    }</div>
<p class="lead">${t("academy.lead")}</p>
${
  data.courses.length
    ? html`<ul class="plain-list" role="list">${data.courses.map(
        (c) => html`<li class="card"><h2><a
      href="${c.url}">${c.title}</a> ${c.certified ? badge(`✓ ${t("academy.certified")}`, "success") : ""}</h2><p>${
        c.description
      }</p></li>`,
      )}</ul>`
    : emptyState(t("academy.empty"), { href: `/c/${community.slug}`, label: t("empty.browseTopics") })
}`,
  };
}

/** The quiz; a refused attempt comes back with its message and the answers as given. */
function quizForm(page: PageContext, course: Course, form?: FormState): Html {
  const { t } = page;
  const wrong = new Set(course.me?.lastMistakes ?? []);
  const given = form?.values ?? {};
  const checked = (picked: boolean) => (picked ? html` checked` : "");
  const alert = form ? formAlert(page, form) : "";
  return html`${alert}<form method="post" action="${course.url}/attempt" class="quiz">${page.csrfField()}
${course.questions.map(
  (q, i) => html`<fieldset${wrong.has(q.id) ? html` class="quiz-mistake"` : ""}><legend>${i + 1}. ${q.text} <span
    class="hint">(${t(q.kind === "single" ? "academy.single" : "academy.multiple")})</span></legend>
${wrong.has(q.id) ? html`<p class="quiz-feedback">✗ ${t("academy.wrongLastTime")}</p>` : ""}
${q.options.map((o) =>
  q.kind === "single"
    ? html`<label><input type="radio" name="q${q.id}" value="${o.id}"${checked(
        given[`q${q.id}`] === String(o.id),
      )}> ${o.text}</label>`
    : html`<label><input type="checkbox" name="q${q.id}-${o.id}" value="1"${checked(
        `q${q.id}-${o.id}` in given,
      )}> ${o.text}</label>`,
)}</fieldset>`,
)}
<button type="submit" class="button primary">${t("academy.submit")}</button>
</form>`;
}

function standing(page: PageContext, course: Course): Html {
  const { t } = page;
  const me = course.me;
  if (!me) return html`<p class="card"><a href="${loginUrl(page.path)}">${t("academy.loginToTake")}</a></p>`;
  if (me.certified)
    return html`<p class="card status-line">${badge(`✓ ${t("academy.certified")}`, "success")}${
      me.certification?.expiresAt ? html` ${t("academy.validUntil")} ${dayOf(page, me.certification.expiresAt)}` : ""
    }</p>`;
  const wrong = course.questions.flatMap((q, i) =>
    me.lastMistakes?.includes(q.id) ? [{ n: i + 1, text: q.text }] : [],
  );
  return html`<div class="card" role="status"><p>${
    me.lastScore !== null ? html`${t("academy.lastScore", { score: me.lastScore, passMark: course.passMark })} ` : ""
  }${t("academy.attemptsLeft", { count: me.attemptsLeft })}${
    me.nextAttemptAt ? html` ${t("academy.nextAttempt")} ${timeAt(page, me.nextAttemptAt)}` : ""
  }</p>${
    wrong.length
      ? html`<p>${page.tn("academy.mistakes", wrong.length)}</p><ul class="quiz-mistakes">${wrong.map(
          (q) => html`<li>${q.n}. ${q.text}</li>`,
        )}</ul>`
      : ""
  }</div>`;
}

/** The course page; `quiz` is a refused attempt to show again, answers kept, even if none may follow now. */
export function courseView(page: PageContext, community: CommunityRef, course: Course, quiz?: FormState): PageView {
  const { t } = page;
  return {
    title: course.title,
    content: html`${trail(page, community, course.title)}
<h1>${course.title}</h1>
<p class="lead">${course.description}</p>
${course.lessons.map(
  (l, i) => html`<section class="card lesson" aria-labelledby="lesson-${l.id}"><h2
  id="lesson-${l.id}">${i + 1}. ${l.title}</h2><div class="prose">${raw(l.bodyHtml)}</div></section>`,
)}
<section aria-labelledby="quiz-title"><h2 id="quiz-title">${t("academy.quiz")}</h2>
<p>${t("academy.passMark", { passMark: course.passMark })}</p>
${standing(page, course)}
${quiz && course.me ? quizForm(page, course, quiz) : course.me?.canAttempt ? quizForm(page, course) : ""}
</section>`,
  };
}

export function newCourseView(page: PageContext, community: CommunityRef, form: FormState): PageView {
  const { t } = page;
  const labels = {
    title: t("academy.field.title"),
    description: t("academy.field.description"),
    passMark: t("academy.field.passMark"),
    maxAttempts: t("academy.field.maxAttempts"),
    cooldownMinutes: t("academy.field.cooldown"),
    validityDays: t("academy.field.validity"),
    showMistakes: t("academy.field.showMistakes"),
    lessons: t("academy.field.lessons"),
    questions: t("academy.field.questions"),
  };
  const values = { passMark: "80", maxAttempts: "3", cooldownMinutes: "60", showMistakes: "1", ...form.values };
  const state = { ...form, values };
  return {
    title: t("academy.new"),
    content: html`${trail(page, community, t("academy.new"))}
<h1>${t("academy.new")}</h1>
${formAlert(page, form, labels)}
<form method="post" action="/c/${community.slug}/academy/new" novalidate class="card grid-form">${page.csrfField()}
${inputField({ form: state, name: "title", label: labels.title, maxlength: 120, required: true })}
${inputField({ form: state, name: "passMark", label: labels.passMark, type: "number" })}
${inputField({ form: state, name: "maxAttempts", label: labels.maxAttempts, type: "number" })}
${inputField({ form: state, name: "cooldownMinutes", label: labels.cooldownMinutes, type: "number" })}
${inputField({
  form: state,
  name: "validityDays",
  label: labels.validityDays,
  type: "number",
  hint: t("academy.field.validityHint"),
})}
${selectField({
  form: state,
  name: "showMistakes",
  label: labels.showMistakes,
  options: [
    { value: "1", label: t("academy.field.showMistakes.yes") },
    { value: "0", label: t("academy.field.showMistakes.no") },
  ],
})}
${textareaField({ form: state, name: "description", label: labels.description, rows: 2 })}
${textareaField({ form: state, name: "lessons", label: labels.lessons, rows: 8, hint: t("academy.field.lessonsHint") })}
${textareaField({
  form: state,
  name: "questions",
  label: labels.questions,
  rows: 10,
  hint: t("academy.field.questionsHint"),
  required: true,
})}
<div class="actions"><button type="submit" class="button primary">${t("academy.create")}</button></div>
</form>`,
  };
}
