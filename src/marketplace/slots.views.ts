import { html, type Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import type { FormState } from "../web/forms.ts";
import type { Locale } from "../i18n/i18n.ts";
import { clockTime, longDay, zonedClockTime } from "../i18n/time-format.ts";
import { localDate } from "../lib/zoned-time.ts";
import { repeatedWallTime, SLOT_DAYS } from "./marketplace.time.ts";

export interface FreeSlot {
  startsAt: string;
  endsAt: string;
}

/** A slot as the form sends it back: "start/end", both ISO instants. */
export const slotValue = (s: FreeSlot) => `${s.startsAt}/${s.endsAt}`;

/**
 * A slot's times in the zone ("14:00–15:00"); in the hour the clocks go back, which reads twice,
 * with the zone's name ("02:00 GMT+2–02:00 GMT+1", "02:00 GMT+1–03:00 GMT+1").
 */
export function slotLabel(locale: Locale, slot: FreeSlot, timezone: string): string {
  const [start, end] = [Date.parse(slot.startsAt), Date.parse(slot.endsAt)];
  const time = repeatedWallTime(start, timezone) || repeatedWallTime(end, timezone) ? zonedClockTime : clockTime;
  return `${time(locale, start, timezone)}–${time(locale, end, timezone)}`;
}

/** The free slots by day of the community's time zone, in order. */
function byDay(slots: FreeSlot[], timezone: string): FreeSlot[][] {
  const days = new Map<string, FreeSlot[]>();
  for (const s of slots) {
    const day = localDate(Date.parse(s.startsAt), timezone);
    days.set(day, [...(days.get(day) ?? []), s]);
  }
  return [...days.values()];
}

/**
 * The booking form's slot picker: one radio button per free slot, grouped by day (each day folds
 * open; the first, or the one holding the member's choice, starts open), times in the community's
 * zone and the reader's locale. Works without JavaScript; the form names the field `slot`.
 */
export function slotPicker(
  page: PageContext,
  data: { slots: FreeSlot[]; timezone: string; form: FormState; helperName: string },
): Html {
  const { t, locale } = page;
  const error = data.form.errors.slot;
  const chosen = data.form.values.slot ?? "";
  const hint = data.slots.length
    ? t("market.slots.hint", { days: SLOT_DAYS, timezone: data.timezone })
    : t("market.slots.none", { name: data.helperName, days: SLOT_DAYS });
  return html`<fieldset id="slot" class="field slot-picker${error ? " has-error" : ""}"
  aria-describedby="slot-hint${error ? " slot-error" : ""}">
<legend>${t("market.slots.legend")}</legend>
<p class="hint" id="slot-hint">${hint}</p>
${error ? html`<p class="field-error" id="slot-error">${error}</p>` : ""}
${byDay(data.slots, data.timezone).map((day, i) => {
  const open = chosen ? day.some((s) => slotValue(s) === chosen) : i === 0;
  return html`<details class="slot-day"${open ? html` open` : ""}><summary>${longDay(
    locale,
    Date.parse(day[0].startsAt),
    data.timezone,
  )} <span class="slot-count">(${t("market.slots.count", { count: day.length })})</span></summary>
<div class="slot-options">${day.map((s) => {
    const value = slotValue(s);
    const id = `slot-${Date.parse(s.startsAt)}`;
    return html`<label class="slot-option" for="${id}"><input type="radio" id="${id}" name="slot"
  value="${value}"${value === chosen ? html` checked` : ""}> ${slotLabel(locale, s, data.timezone)}</label>`;
  })}</div></details>`;
})}
</fieldset>`;
}
