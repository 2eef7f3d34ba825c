/**
 * The one way the product writes an amount of money for people (the marketplace's prices, Insights'
 * sums): in its currency, the reader's way ("1.234,50 €", "CHF 1’234.50"). Intl formats are costly
 * to build, so each (locale, currency) is built once for the life of the process.
 */
const formats = new Map<string, Intl.NumberFormat>();

/** `amount` (in the currency's units, not cents) in `currency`, written in `locale`. */
export function formatMoney(locale: string, amount: number, currency: string): string {
  const key = `${locale} ${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency });
    formats.set(key, format);
  }
  return format.format(amount);
}
