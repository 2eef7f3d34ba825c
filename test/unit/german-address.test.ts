import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CATALOGS } from "../../src/app/catalogs.ts";

/**
 * The German catalogs address the reader informally (du, dich, dir, dein, euch), never formally (Sie, Ihnen,
 * Ihr …). The formal pronouns are written with a capital letter anywhere in a sentence, so a capitalised one
 * in the middle of a sentence is always formal; the third-person "sie"/"ihr" (she, they, her, their) is
 * lowercase there. At the start of a sentence the capital tells nothing: "Sie ist ein Duplikat" means "it (the
 * question) is a duplicate". Such messages are listed below, each with the reason, and only a sentence-initial
 * occurrence is excused by the list.
 */
const THIRD_PERSON_AT_SENTENCE_START: Record<string, string> = {
  // "Sie" is "die Frage" from the banner's title ("It is a duplicate of …").
  "duplicate.banner.text": "Sie = the question, third person",
};

const FORMAL = /(?<![\p{L}\p{N}_])(Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)(?![\p{L}\p{N}_])/gu;
/** Whatever may end the text before a word that starts a sentence: nothing, . ! ? … or a colon, opening quotes. */
const SENTENCE_START = /(^|[.!?…:„“"»«])$/u;

interface Use {
  word: string;
  sentenceStart: boolean;
}

function formalWords(message: string): Use[] {
  return [...message.matchAll(FORMAL)].map((match) => ({
    word: match[1],
    sentenceStart: SENTENCE_START.test(message.slice(0, match.index).trimEnd()),
  }));
}

/** Every German catalog on disk, so a domain that is not yet installed is checked too. */
async function germanCatalogs(): Promise<Map<string, Record<string, string>>> {
  const src = join(import.meta.dirname, "../../src");
  const catalogs = new Map<string, Record<string, string>>();
  for (const domain of readdirSync(src).sort()) {
    const file = join(src, domain, "messages", "de.ts");
    if (!existsSync(file)) continue;
    const module = (await import(pathToFileURL(file).href)) as { de: Record<string, string> };
    assert.ok(module.de, `${file} exports de`);
    catalogs.set(`src/${domain}/messages/de.ts`, module.de);
  }
  return catalogs;
}

describe("German address", () => {
  test("the check itself tells formal address from the third person", () => {
    assert.deepEqual(formalWords("Fragen für dich"), []);
    assert.deepEqual(formalWords("Sie können"), [{ word: "Sie", sentenceStart: true }]);
    assert.deepEqual(formalWords("Fragen für Sie"), [{ word: "Sie", sentenceStart: false }]);
    assert.deepEqual(formalWords("Veröffentlichen Sie nie Passwörter"), [{ word: "Sie", sentenceStart: false }]);
    assert.deepEqual(formalWords("Privat: Ihr Entwurf"), [{ word: "Ihr", sentenceStart: true }]);
    assert.deepEqual(formalWords("(Ihre Wahl)"), [{ word: "Ihre", sentenceStart: false }]);
    assert.deepEqual(formalWords("wo andere Mitglieder sie lesen können, ihre Daten"), []);
    assert.deepEqual(formalWords("Sieger, Ihrerseits, Siegel"), []);
  });

  test("every German catalog is checked, the installed ones included", async () => {
    const catalogs = await germanCatalogs();
    assert.ok(catalogs.size >= CATALOGS.length, `${catalogs.size} German catalogs on disk`);
    const onDisk = new Set([...catalogs.values()]);
    for (const catalog of CATALOGS) assert.ok(onDisk.has(catalog.de), "an installed German catalog is on disk");
  });

  test("no German message addresses the reader formally", async () => {
    const offending: string[] = [];
    for (const [file, messages] of await germanCatalogs())
      for (const [key, message] of Object.entries(messages))
        for (const use of formalWords(message))
          if (!(use.sentenceStart && key in THIRD_PERSON_AT_SENTENCE_START))
            offending.push(`${file} ${key}: "${use.word}" in ${JSON.stringify(message)}`);
    assert.deepEqual(offending, [], `use du, dich, dir, dein or euch instead:\n${offending.join("\n")}`);
  });

  test("every excused message still exists and still needs its excuse", async () => {
    const all = new Map<string, string>();
    for (const messages of (await germanCatalogs()).values())
      for (const [key, message] of Object.entries(messages)) all.set(key, message);
    for (const key of Object.keys(THIRD_PERSON_AT_SENTENCE_START)) {
      const message = all.get(key);
      assert.ok(message !== undefined, `${key} no longer exists: remove it from the list`);
      assert.ok(
        formalWords(message).some((use) => use.sentenceStart),
        `${key} no longer starts a sentence with Sie or Ihr: remove it from the list`,
      );
    }
  });

  test("the user menu and the page it opens use the same address", async () => {
    const catalogs = await germanCatalogs();
    const accounts = catalogs.get("src/accounts/messages/de.ts");
    const routing = catalogs.get("src/routing/messages/de.ts");
    assert.equal(accounts?.["menu.questions"], routing?.["routing.title"]);
    assert.equal(routing?.["list.questionsForYou"], routing?.["routing.title"]);
  });
});
