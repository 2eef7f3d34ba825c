/**
 * One line of plain text (titles, member names): line breaks would forge lines in email subjects
 * and logs, and bidi controls make a text read differently from what it is.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
export const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** The refinement a one-line text field ends with: `.refine(...ONE_LINE)`; forms show `form.oneLine`. */
export const ONE_LINE = [
  (value: string) => !NOT_ONE_LINE.test(value),
  {
    message: "Use one line of text, without line breaks or control characters.",
    params: { messageKey: "form.oneLine" },
  },
] as const;

const NOT_ONE_LINE_ALL = new RegExp(NOT_ONE_LINE.source, "g");
const SPACING = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/**
 * Text from elsewhere (an import, a sign-on provider) made one line: breaks and tabs become a
 * space, the other such characters go.
 */
export function toOneLine(text: string): string {
  return text.replace(SPACING, " ").replace(NOT_ONE_LINE_ALL, "").trim();
}
