import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { FormState, FormValues } from "../web/forms.ts";
import { formAlert, inputField, textareaField } from "../web/fields.ts";
import { communityCrumbs, card } from "../web/components.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import { defaultThresholds } from "../access/privileges.ts";
import type { ReputationSettings } from "../reputation/index.ts";
import type { ModerationSettings } from "./moderation.settings.ts";
import { widgetSettingsCard } from "../widget/index.ts";
import { communitySettingsCard } from "../communities/index.ts";
import { formNumber } from "../web/forms.ts";
import { DEFAULT_RANK_NAMES } from "../access/trust-levels.ts";
import { LOCALES, translator } from "../i18n/i18n.ts";
import { rankLabel } from "../web/components.ts";

/** The forms of the settings page, each posted to /c/:slug/settings/<section>. */
export type SettingsSection = "general" | "reputation" | "moderation" | "origins";

/**
 * The community admins' settings page: the community itself (name, visibility, language, time zone;
 * its card comes from src/communities), kudos values, ranks and privilege levels (reputation),
 * first-post approval, flags, limits and spam rules (moderation), and the widget's allowed origins
 * (its card comes from src/widget). Numbers are fields named by their place in the settings
 * ("points__replyUpvoted", "dailyVoteCap"); ranks, blocked phrases and origins are one per line.
 */
/** Field names of the reputation numbers; the thresholds follow the installed privilege registry. */
const reputationNumbers = () => [
  ...["replyUpvoted", "replyDownvoted", "answerAccepted", "topicUpvoted", "topicDownvoted", "officialBonus"].map(
    (k) => `points__${k}`,
  ),
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

type Doc = Record<string, unknown>;
const split = (name: string) => name.split("__") as [string] | [string, string];

function get(source: unknown, name: string): unknown {
  const [group, key] = split(name);
  const value = (source as Doc)[group];
  return key === undefined ? value : (value as Doc)[key];
}

/** A default rank's key in the catalogs ("rep.rank.newcomer"). */
const defaultRankKey = (name: string) => `rep.rank.${name.toLowerCase()}` as MessageKey;

/**
 * The stored name of a rank typed in the form: a default rank's name in any language ("Neuling")
 * is the default rank ("Newcomer"), which every reader sees in their own language; others as typed.
 */
function storedRankName(name: string): string {
  for (const locale of LOCALES) {
    const t = translator(locale);
    const found = DEFAULT_RANK_NAMES.find((rank) => t(defaultRankKey(rank)) === name);
    if (found) return found;
  }
  return name;
}

/**
 * The ranks field as stored, with the default ranks' names in the reader's language (as pages show
 * them); what the admin typed (a form shown again with its errors) stays as typed.
 */
function localizedRanks(page: PageContext, form: FormState): FormState {
  const ranks = form.values.ranks;
  if (ranks === undefined || Object.keys(form.errors).length) return form;
  const lines = ranks.split("\n").map((line) => {
    const match = /^(.*): (-?\d+)$/.exec(line);
    return match ? `${rankLabel(page, { name: match[1] })}: ${match[2]}` : line;
  });
  return { ...form, values: { ...form.values, ranks: lines.join("\n") } };
}

/** Form text to a settings patch: numbers, ranks ("Name: 50" per line), phrases (one per line). */
export function settingsPatch(values: FormValues, section: "reputation" | "moderation"): Doc {
  const patch: Doc = {};
  for (const name of section === "reputation" ? reputationNumbers() : MODERATION_NUMBERS) {
    const value = formNumber(values[name]);
    if (value === undefined) continue;
    const [group, key] = split(name);
    if (key === undefined) patch[group] = value;
    else patch[group] = { ...(patch[group] as Doc), [key]: value };
  }
  if (section === "reputation" && values.ranks !== undefined) {
    patch.ranks = values.ranks
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const match = /^(.*?)\s*[:=]\s*(-?\d+)$/.exec(line);
        return match
          ? { name: storedRankName(match[1]), minKudos: Number(match[2]) }
          : { name: line, minKudos: Number.NaN };
      });
  }
  if (section === "moderation" && values.blockedPhrases !== undefined) {
    patch.spam = {
      ...(patch.spam as Doc),
      blockedPhrases: values.blockedPhrases
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean),
    };
  }
  return patch;
}

export function settingsValues(
  reputation: ReputationSettings,
  moderation: ModerationSettings,
): { reputation: FormValues; moderation: FormValues } {
  const values = (paths: string[], source: unknown) =>
    Object.fromEntries(paths.map((p) => [p, String(get(source, p))]));
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

const label = (page: PageContext, name: string) => page.t(`set.${name.replace("__", ".")}` as MessageKey);

function numbers(page: PageContext, form: FormState, paths: string[]): Html {
  return html`${paths.map((name) =>
    inputField({ form, name, id: `set-${name.replace(/[_.]+/g, "-")}`, label: label(page, name), type: "number" }),
  )}`;
}

export function settingsView(
  page: PageContext,
  data: {
    community: { slug: string; name: string };
    /** The community's own fields: name, description, visibility, language, time zone. */
    general: FormState;
    reputation: FormState;
    moderation: FormState;
    origins: FormState;
    /** The address of the community's widget script, for the tag to paste. */
    widgetScript: string;
    saved: boolean;
  },
): PageView {
  const { t } = page;
  const base = `/c/${data.community.slug}/settings`;
  return {
    title: t("set.title"),
    content: html`${communityCrumbs(page, data.community, { label: t("set.title") })}
<h1>${t("set.title")}</h1>
${data.saved ? html`<p class="notice" role="status">${t("set.saved")}</p>` : ""}
${communitySettingsCard(page, { action: `${base}/general`, form: data.general })}
${card(
  { id: "rep-settings", title: t("set.reputation") },
  html`
${formAlert(page, data.reputation)}
<form method="post" action="${base}/reputation" novalidate class="grid-form">${page.csrfField()}
${numbers(page, data.reputation, reputationNumbers())}
${textareaField({
  form: localizedRanks(page, data.reputation),
  name: "ranks",
  label: t("set.ranks"),
  hint: t("set.ranksHint"),
  rows: 5,
})}
<div class="actions"><button type="submit" class="button primary">${t("form.save")}</button></div>
</form>`,
)}
${card(
  { id: "mod-settings", title: t("set.moderation") },
  html`
${formAlert(page, data.moderation)}
<form method="post" action="${base}/moderation" novalidate class="grid-form">${page.csrfField()}
${numbers(page, data.moderation, MODERATION_NUMBERS)}
${textareaField({
  form: data.moderation,
  name: "blockedPhrases",
  label: t("set.blockedPhrases"),
  hint: t("set.blockedPhrasesHint"),
  rows: 5,
})}
<div class="actions"><button type="submit" class="button primary">${t("form.save")}</button></div>
</form>`,
)}
${widgetSettingsCard(page, { scriptUrl: data.widgetScript, action: `${base}/origins`, form: data.origins })}`,
  };
}
