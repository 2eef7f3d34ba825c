/**
 * The plain-text formats of the course form (no JavaScript needed to write a quiz):
 * lessons start with a "# Title" line, their Markdown follows; a question starts with "? " (one
 * right answer) or "?? " (several), each option on its own line, "* " if right, "- " if wrong.
 */

/** The fence ("```", "~~~~") a line opens a code block with, if it opens one. */
const openingFence = (line: string) => /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1] ?? null;

/** Whether a line closes the code block `fence` opened: the same character, at least as many, nothing after. */
function closesFence(line: string, fence: string): boolean {
  const marker = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line)?.[1];
  return marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length;
}

export function parseLessons(text: string): { title: string; body: string }[] {
  // Text before the first heading is a lesson without a title, which the schema refuses: never dropped.
  const lessons: { title: string; body: string }[] = [{ title: "", body: "" }];
  // Inside a fenced code block a "# " line is code (a shell comment), not the next lesson.
  let fence: string | null = null;
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    const heading = fence === null ? /^#\s+(.+)$/.exec(line) : null;
    if (heading) lessons.push({ title: heading[1].trim(), body: "" });
    else lessons[lessons.length - 1].body += `${line}\n`;
    if (fence === null) fence = openingFence(line);
    else if (closesFence(line, fence)) fence = null;
  }
  const [untitled, ...titled] = lessons.map((l) => ({ title: l.title, body: l.body.trim() }));
  return untitled.body ? [untitled, ...titled] : titled;
}

export function parseQuestions(text: string) {
  const questions: { text: string; kind: "single" | "multiple"; options: { text: string; correct: boolean }[] }[] = [];
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trim();
    const question = /^(\?\??)\s+(.+)$/.exec(line);
    const option = /^([*-])\s+(.+)$/.exec(line);
    if (question)
      questions.push({ text: question[2], kind: question[1] === "??" ? "multiple" : "single", options: [] });
    else if (option && questions.length)
      questions[questions.length - 1].options.push({ text: option[2], correct: option[1] === "*" });
    // A line that is neither is a question without text, which the schema refuses: never dropped.
    else if (line) questions.push({ text: "", kind: "single", options: [] });
  }
  return questions;
}
