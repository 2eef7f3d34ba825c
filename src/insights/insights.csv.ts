import { csvText } from "../lib/csv.ts";
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
 * rate or median as an empty cell, text defused (csvText).
 */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 10_000) / 10_000);
  return csvText(String(value));
}

export function insightsCsv(insights: Insights): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of insights.series) lines.push(CSV_COLUMNS.map((c) => cell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
