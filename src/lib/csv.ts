/**
 * A text cell of a CSV file: quoted where it holds a separator, a quote or a line break, and led
 * by an apostrophe where a spreadsheet would run it as a formula (it starts with = + - @, a tab or
 * a carriage return, and is not a plain signed number), so an export opened in Excel or LibreOffice
 * never executes anything.
 */
export function csvText(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
