import type { PageContext } from "../web/layout.ts";
import { formatMoney } from "../i18n/money-format.ts";

/** How the page writes figures in the reader's language: counts, rates, durations, money and changes. */
export function formatters(page: PageContext, currency: string) {
  const { t, locale } = page;
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const signed = (n: number, text: string) => (n > 0 ? `+${text}` : n < 0 ? `−${text.replace(/^-|^−/, "")}` : text);
  const duration = (minutes: number) =>
    minutes < 90
      ? t("insights.minutes", { n: count.format(Math.round(minutes)) })
      : minutes < 48 * 60
        ? t("insights.hours", { n: count.format(Math.round(minutes / 6) / 10) })
        : t("insights.days", { n: count.format(Math.round(minutes / 144) / 10) });
  return {
    count: (n: number) => count.format(n),
    rate: (r: number | null) => (r === null ? t("insights.noValue") : percent.format(r)),
    duration: (m: number | null) => (m === null ? t("insights.noValue") : duration(m)),
    money: (cents: number) => formatMoney(locale, cents / 100, currency),
    /** An amount in another currency than the insights' (a payment made in it). */
    moneyIn: (cents: number, code: string) => formatMoney(locale, cents / 100, code),
    /** The change of a count: in percent of the previous value, or the difference when that was 0. */
    countChange(now: number, before: number): string | null {
      if (now === before) return null;
      if (before === 0) return signed(now, count.format(now));
      return signed(now - before, percent.format(Math.abs(now - before) / before));
    },
    /** The change of a rate, in percentage points. */
    rateChange(now: number | null, before: number | null): string | null {
      if (now === null || before === null || Math.round(now * 100) === Math.round(before * 100)) return null;
      const points = Math.round((now - before) * 100);
      return signed(points, t("insights.points", { n: count.format(Math.abs(points)) }));
    },
    durationChange(now: number | null, before: number | null): string | null {
      if (now === null || before === null || Math.round(now) === Math.round(before)) return null;
      return signed(now - before, duration(Math.abs(now - before)));
    },
    moneyChange(now: number, before: number): string | null {
      return now === before ? null : signed(now - before, formatMoney(locale, Math.abs(now - before) / 100, currency));
    },
  };
}

export type Formatters = ReturnType<typeof formatters>;
