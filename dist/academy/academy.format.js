/**
 * The plain-text formats of the course form (no JavaScript needed to write a quiz):
 * lessons start with a "# Title" line, their Markdown follows; a question starts with "? " (one
 * right answer) or "?? " (several), each option on its own line, "* " if right, "- " if wrong.
 */
export function parseLessons(text) {
    const lessons = [];
    for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
        const heading = /^#\s+(.+)$/.exec(line);
        if (heading)
            lessons.push({ title: heading[1].trim(), body: "" });
        else if (lessons.length)
            lessons[lessons.length - 1].body += `${line}\n`;
    }
    return lessons.map((l) => ({ title: l.title, body: l.body.trim() }));
}
export function parseQuestions(text) {
    const questions = [];
    for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
        const line = raw.trim();
        const question = /^(\?\??)\s+(.+)$/.exec(line);
        const option = /^([*-])\s+(.+)$/.exec(line);
        if (question)
            questions.push({ text: question[2], kind: question[1] === "??" ? "multiple" : "single", options: [] });
        else if (option && questions.length)
            questions[questions.length - 1].options.push({ text: option[2], correct: option[1] === "*" });
    }
    return questions;
}
