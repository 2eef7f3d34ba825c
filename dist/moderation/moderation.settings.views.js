import { html } from "../web/html.js";
import { formAlert, inputField, textareaField } from "../web/fields.js";
import { breadcrumbs } from "../web/components.js";
import { defaultThresholds } from "../access/privileges.js";
/**
 * The community admins' settings page: kudos values, ranks and privilege levels (reputation), and
 * first-post approval, flags, limits and spam rules (moderation). Numbers are fields named by
 * their place in the settings ("points__replyUpvoted", "dailyVoteCap"); ranks and blocked phrases
 * are one per line.
 */
/** Field names of the reputation numbers; the thresholds follow the installed privilege registry. */
const reputationNumbers = () => [
    ...["replyUpvoted", "replyDownvoted", "answerAccepted", "topicUpvoted", "topicDownvoted", "officialBonus"].map((k) => `points__${k}`),
    "dailyVoteCap",
    ...Object.keys(defaultThresholds()).map((p) => `thresholds__${p}`),
    "linkedAccountHours",
    "votingRing__maxUpvotesPerAuthor",
    "votingRing__windowDays",
];
const MODERATION_NUMBERS = [
    "approveFirstPosts",
    "flagsToHide",
    "trustedFlaggerKudos",
    "topicsPerHour",
    "repliesPerHour",
    "spam__maxLinks",
    "spam__repeatLimit",
];
const split = (name) => name.split("__");
function get(source, name) {
    const [group, key] = split(name);
    const value = source[group];
    return key === undefined ? value : value[key];
}
/** Form text to a settings patch: numbers, ranks ("Name: 50" per line), phrases (one per line). */
export function settingsPatch(values, section) {
    const patch = {};
    for (const name of section === "reputation" ? reputationNumbers() : MODERATION_NUMBERS) {
        if (values[name] === undefined || values[name] === "")
            continue;
        const [group, key] = split(name);
        if (key === undefined)
            patch[group] = Number(values[name]);
        else
            patch[group] = { ...patch[group], [key]: Number(values[name]) };
    }
    if (section === "reputation" && values.ranks !== undefined) {
        patch.ranks = values.ranks
            .split("\n")
            .map((line) => line.trim())
            .filter(Boolean)
            .map((line) => {
            const match = /^(.*?)\s*[:=]\s*(-?\d+)$/.exec(line);
            return match ? { name: match[1], minKudos: Number(match[2]) } : { name: line, minKudos: Number.NaN };
        });
    }
    if (section === "moderation" && values.blockedPhrases !== undefined) {
        patch.spam = {
            ...patch.spam,
            blockedPhrases: values.blockedPhrases
                .split("\n")
                .map((l) => l.trim())
                .filter(Boolean),
        };
    }
    return patch;
}
export function settingsValues(reputation, moderation) {
    const values = (paths, source) => Object.fromEntries(paths.map((p) => [p, String(get(source, p))]));
    return {
        reputation: {
            ...values(reputationNumbers(), reputation),
            ranks: reputation.ranks.map((r) => `${r.name}: ${r.minKudos}`).join("\n"),
        },
        moderation: {
            ...values(MODERATION_NUMBERS, moderation),
            blockedPhrases: moderation.spam.blockedPhrases.join("\n"),
        },
    };
}
const label = (page, name) => page.t(`set.${name.replace("__", ".")}`);
function numbers(page, form, paths) {
    return html `${paths.map((name) => inputField({ form, name, id: `set-${name.replace(/[_.]+/g, "-")}`, label: label(page, name), type: "number" }))}`;
}
export function settingsView(page, data) {
    const { t } = page;
    const base = `/c/${data.community.slug}/settings`;
    return {
        title: t("set.title"),
        content: html `${breadcrumbs(page, [{ label: t("home.title"), href: "/" }, { label: data.community.name, href: `/c/${data.community.slug}` }, { label: t("set.title") }])}
<h1>${t("set.title")}</h1>
${data.saved ? html `<p class="notice" role="status">${t("set.saved")}</p>` : ""}
<section class="card" aria-labelledby="rep-settings"><h2 id="rep-settings">${t("set.reputation")}</h2>
${formAlert(page, data.reputation)}
<form method="post" action="${base}/reputation" novalidate class="grid-form">${page.csrfField()}
${numbers(page, data.reputation, reputationNumbers())}
${textareaField({ form: data.reputation, name: "ranks", label: t("set.ranks"), hint: t("set.ranksHint"), rows: 5 })}
<div class="actions"><button type="submit" class="button primary">${t("form.save")}</button></div>
</form></section>
<section class="card" aria-labelledby="mod-settings"><h2 id="mod-settings">${t("set.moderation")}</h2>
${formAlert(page, data.moderation)}
<form method="post" action="${base}/moderation" novalidate class="grid-form">${page.csrfField()}
${numbers(page, data.moderation, MODERATION_NUMBERS)}
${textareaField({ form: data.moderation, name: "blockedPhrases", label: t("set.blockedPhrases"), hint: t("set.blockedPhrasesHint"), rows: 5 })}
<div class="actions"><button type="submit" class="button primary">${t("form.save")}</button></div>
</form></section>`,
    };
}
