/**
 * The plain-text formats of the course form (no JavaScript needed to write a quiz):
 * lessons start with a "# Title" line, their Markdown follows; a question starts with "? " (one
 * right answer) or "?? " (several), each option on its own line, "* " if right, "- " if wrong.
 */
export function parseLessons(text: string): { title: string; body: string }[] {
  // Text before the first heading is a lesson without a title, which the schema refuses: never dropped.
  const lessons: { title: string; body: string }[] = [{ title: "", body: "" }];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    const heading = /^#\s+(.+)$/.exec(line);
    if (heading) lessons.push({ title: heading[1].trim(), body: "" });
    else lessons[lessons.length - 1].body += `${line}\n`;
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
