import type { Insights, SeriesRow } from "./insights.service.ts";

/** The columns of the CSV, in order: the series' figures, one row per day, week or month. */
export const CSV_COLUMNS: readonly (keyof SeriesRow)[] = [
  "date",
  "topics",
  "questions",
  "answered",
  "answerRate",
  "unanswered",
  "firstResponseMedianMinutes",
  "solved",
  "solvedRate",
  "abandoned",
  "escalated",
  "escalationRate",
  "routedQuestions",
  "routedAnswerShare",
  "searches",
  "suggestionsShown",
  "deflected",
  "newMembers",
  "savingsCents",
  "rewardsCents",
  "netCents",
];

/**
 * Numbers as they are (rates 0..1 to four places; a negative net saving stays a number), a missing
 * rate or median as an empty cell. Text is quoted where it holds a separator, a quote or a line
 * break, and text a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
 * return) is led by an apostrophe, so an export opened in Excel or LibreOffice never executes anything.
 */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 10_000) / 10_000);
  // As the marketplace's payout CSV (csvCell in marketplace/payments.ts) writes its text cells.
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function insightsCsv(insights: Insights): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of insights.series) lines.push(CSV_COLUMNS.map((c) => cell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
