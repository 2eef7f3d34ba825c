/**
 * Text handling shared by both search backends: turning posts into plain text, turning a visitor's
 * query into a list of safe words, a light stemmer for the SQLite backend's German, French and
 * Italian communities, safe snippets, and pg_trgm's title similarity re-implemented for SQLite.
 *
 * Nothing here builds a query string from raw input: a query becomes a list of words made only of
 * letters and digits, and each backend quotes or parameterizes those words itself.
 */
import { escapeHtml } from "../web/html.ts";
import { porterStem } from "./search.stem.ts";

export type SearchLocale = "en" | "de" | "fr" | "it";

export function searchLocale(locale: string | null | undefined): SearchLocale {
  return locale === "de" || locale === "fr" || locale === "it" ? locale : "en";
}

/** Query text beyond this is ignored: a search box is not a document. */
export const QUERY_CHARS_MAX = 300;
/** At most this many words of a search query take part (after stop words are dropped). */
export const SEARCH_TERMS_MAX = 12;
/** Similar questions: words from the title, then from the body, at most this many in all. */
export const SIMILAR_TERMS_MAX = 32;
/** Words shorter than this are ignored (single letters match everything). */
export const TERM_MIN_CHARS = 2;

/** Highlight markers: control characters removed from indexed text, so user text cannot forge them. */
export const MARK_OPEN = "\u0002";
export const MARK_CLOSE = "\u0003";

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what it removes
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Visible text of our own rendered Markdown (tags dropped, entities decoded, markers impossible). */
export function htmlToText(html: string): string {
  return html
    .replace(/<(?:br|\/p|\/li|\/h\d|\/pre|\/blockquote|\/tr)\b[^>]*>/gi, "\n")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : " ";
      }
      return ENTITIES[name.toLowerCase()] ?? m;
    })
    .replace(CONTROL, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
}

export function stripControl(text: string): string {
  return text.replace(CONTROL, " ");
}

export function removeDiacritics(word: string): string {
  return word
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");
}

/** Lowercased words of letters and digits; everything else (quotes, operators, SQL) separates words. */
export function words(text: string): string[] {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** A set of the words of some lines, each a space-separated list. */
const wordSet = (...lines: string[]) => new Set(lines.join(" ").split(" "));

const STOP_WORDS: Record<SearchLocale, Set<string>> = {
  en: wordSet(
    "a an and are as at be been but by can could did do does doing for from had has have how i if in into",
    "is it its me my no nor not of on or our so such than that the their them then there these they this",
    "to too was we were what when where which while who why will with would you your",
  ),
  de: wordSet(
    "aber als am an auch auf aus bei bin bis bist da das dass dem den der des die doch du ein eine einem",
    "einen einer eines er es für hat habe haben ich ihr im in ist ja kann man mein meine mich mir mit",
    "nach nicht noch nur oder sich sie sind so und uns von vom was wie wir wird zu zum zur über",
  ),
  fr: wordSet(
    "à au aux avec ce ces comment dans de des du elle en est et il ils je la le les leur lui ma mais me",
    "mes mon ne nous on ou où par pas pour qu que qui sa se ses son sur ta te tes ton tu un une vos votre",
    "vous y",
  ),
  it: wordSet(
    "a ad al alla alle allo anche che chi ci come con da dal dalla de dei del della delle di e è gli ha",
    "ho i il in io la le lei lo lui ma mi mia mio ne nel nella non o per più quando se si sono su sua suo",
    "tu un una uno vi",
  ),
};

/**
 * The words of a query that take part in matching: stop words, repeats and one-letter words
 * dropped, in order, capped. An empty list means "nothing to search for".
 */
export function queryTerms(text: string, locale: SearchLocale, max: number): string[] {
  const stop = STOP_WORDS[locale];
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const word of words(text.slice(0, QUERY_CHARS_MAX * 8))) {
    if (terms.length >= max) break;
    if (word.length < TERM_MIN_CHARS || word.length > 40 || stop.has(word) || seen.has(word)) continue;
    seen.add(word);
    terms.push(word);
  }
  return terms;
}

/**
 * Words as the index sees them, with hyphens and diacritics folded: "Wi-Fi", "WiFi" and "wifi"
 * are one word, "Zürich" is "zurich", "user's" is "users". A hyphenated word also counts as its
 * parts ("long-term" is "longterm", "long" and "term"), so a query for either finds it; a query
 * with a hyphen asks for the joined form only.
 */
const FOLDABLE_WORD = /[\p{L}\p{N}]+(?:[-\u2010\u2011'\u2019][\p{L}\p{N}]+)*/gu;
const JOINERS = /[-\u2010\u2011'\u2019]/;

const FOLDED_STOP_WORDS: Record<SearchLocale, Set<string>> = {
  en: new Set([...STOP_WORDS.en, "dont", "doesnt", "didnt", "cant", "wont", "isnt", "im", "ive", "id", "thats"]),
  de: new Set([...STOP_WORDS.de].map(removeDiacritics)),
  fr: new Set([...STOP_WORDS.fr].map(removeDiacritics)),
  it: new Set([...STOP_WORDS.it].map(removeDiacritics)),
};

/**
 * The index term of one folded word: stop words and one-letter words give none; stemmed by the community's language.
 */
function termOf(word: string, locale: SearchLocale): string | null {
  if (word.length < TERM_MIN_CHARS || word.length > 40 || FOLDED_STOP_WORDS[locale].has(word)) return null;
  if (locale === "en") return porterStem(word);
  return lightStem(word, locale);
}

/**
 * The terms of a text in order, as the indexer counts them and as queries look them up:
 * lowercased, folded, stop words dropped, stemmed (Porter for English, the light stemmers for
 * German, French and Italian). `parts`: also emit the parts of hyphenated words (the index does,
 * a query does not).
 */
export function analyze(text: string, locale: SearchLocale, parts = true): string[] {
  const out: string[] = [];
  const folded = removeDiacritics(text.normalize("NFKC").toLowerCase());
  for (const match of folded.matchAll(FOLDABLE_WORD)) {
    const word = match[0];
    if (!JOINERS.test(word)) {
      const term = termOf(word, locale);
      if (term) out.push(term);
      continue;
    }
    const pieces = word.split(JOINERS);
    const joined = termOf(pieces.join(""), locale);
    if (joined) out.push(joined);
    if (parts && /[-\u2010\u2011]/.test(word))
      for (const piece of pieces) {
        const term = termOf(piece, locale);
        if (term && term !== joined) out.push(term);
      }
  }
  return out;
}

/** Distinct query terms of a text, in order of first appearance, at most `max`. */
export function queryTermsOf(text: string, locale: SearchLocale, max: number): string[] {
  return [...new Set(analyze(text.slice(0, QUERY_CHARS_MAX * 8), locale, false))].slice(0, max);
}

/**
 * A light stemmer for German, French and Italian (suffix stripping in the spirit of Savoy's light
 * stemmers, not Snowball). The SQLite backend indexes these languages unstemmed (unicode61 with
 * diacritics removed, so snippets show the real words) and searches the stem as a prefix:
 * "Rechnungen" and "Rechnung" both become "rechnung"*, "factures" becomes "factur"*, "bollette"
 * becomes "bollett"*. The prefix also matches longer words of the same stem, which is the point.
 */
const SUFFIXES: Record<Exclude<SearchLocale, "en">, string[]> = {
  de: ["ern", "em", "en", "er", "es", "e", "n", "s"],
  fr: ["ements", "ement", "euses", "euse", "eaux", "eux", "aux", "ees", "es", "ee", "er", "ez", "e", "s", "x"],
  it: ["ammo", "ando", "endo", "ere", "are", "ire", "he", "hi", "a", "e", "i", "o"],
};
const STEM_MIN = 4;

export function lightStem(word: string, locale: Exclude<SearchLocale, "en">): string {
  let stem = removeDiacritics(word.toLowerCase());
  // French plural then feminine: "factures" -> "facture" -> "factur".
  for (let pass = 0; pass < (locale === "fr" ? 2 : 1); pass++) {
    const suffix = SUFFIXES[locale].find((s) => stem.endsWith(s) && stem.length - s.length >= STEM_MIN);
    if (suffix) stem = stem.slice(0, -suffix.length);
  }
  return stem;
}

/** Lowercased words with diacritics removed and hyphenated words joined ("Wi-Fi" is "wifi"). */
export function foldedWords(text: string): string[] {
  const folded = removeDiacritics(text.normalize("NFKC").toLowerCase());
  return [...folded.matchAll(FOLDABLE_WORD)].map((m) => m[0].split(JOINERS).join(""));
}

/**
 * Each trigram of a text as pg_trgm makes them: per word (letters and digits), lowercased,
 * padded with two spaces before and one after.
 */
function forEachTrigram(text: string, visit: (padded: string, at: number) => void): void {
  for (const word of foldedWords(text)) {
    const padded = `  ${word} `;
    for (let at = 0; at + 3 <= padded.length; at++) visit(padded, at);
  }
}

/** pg_trgm's trigrams of a text. */
export function trigrams(text: string): Set<string> {
  const set = new Set<string>();
  forEachTrigram(text, (padded, at) => set.add(padded.slice(at, at + 3)));
  return set;
}

/**
 * The distinct trigrams of a text as sorted numbers, one per trigram (its three UTF-16 code
 * units, 16 bits each, exact in a double): compared by a merge, without a string or a set.
 */
export function trigramCodes(text: string): Float64Array {
  const codes: number[] = [];
  forEachTrigram(text, (padded, at) =>
    codes.push(padded.charCodeAt(at) * 2 ** 32 + padded.charCodeAt(at + 1) * 2 ** 16 + padded.charCodeAt(at + 2)),
  );
  const sorted = Float64Array.from(codes).sort();
  let distinct = 0;
  for (const code of sorted) if (distinct === 0 || sorted[distinct - 1] !== code) sorted[distinct++] = code;
  return sorted.subarray(0, distinct);
}

/** pg_trgm's similarity(): shared trigrams over all distinct trigrams of both, 0..1. */
export function trigramSimilarity(a: string | Float64Array, b: string | Float64Array): number {
  const left = typeof a === "string" ? trigramCodes(a) : a;
  const right = typeof b === "string" ? trigramCodes(b) : b;
  if (left.length === 0 || right.length === 0) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < left.length && j < right.length; )
    if (left[i] === right[j]) {
      shared++;
      i++;
      j++;
    } else if (left[i] < right[j]) i++;
    else j++;
  return shared / (left.length + right.length - shared);
}

/**
 * A snippet as safe HTML: the backend's text with highlight markers becomes escaped text with
 * `<mark>` around the matches. Whatever the text holds (tags, entities, stray markers), the only
 * markup that comes out is balanced `<mark>` elements.
 */
export function snippetHtml(marked: string, maxChars = 320): string {
  const text = marked.replace(/\s+/g, " ").trim();
  let out = "";
  let open = false;
  let length = 0;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the highlight markers are control characters
  for (const part of text.split(/([\u0002\u0003])/)) {
    if (part === MARK_OPEN) {
      if (!open) out += "<mark>";
      open = true;
    } else if (part === MARK_CLOSE) {
      if (open) out += "</mark>";
      open = false;
    } else if (length < maxChars) {
      const piece = part.slice(0, maxChars - length);
      length += piece.length;
      out += escapeHtml(stripControl(piece)) + (piece.length < part.length ? "…" : "");
    }
  }
  if (open) out += "</mark>";
  return out.replace(/<mark><\/mark>/g, "");
}

export function hasMark(text: string | null | undefined): boolean {
  return typeof text === "string" && text.includes(MARK_OPEN);
}

/**
 * The passage of a text that best matches the query terms, with highlight markers around the
 * matching words: the window of `size` words holding the most distinct query terms (the first
 * such window), "…" where it cuts the text. Without a match, the start of the text, unmarked.
 * Words are matched as the index sees them (analyze), so "Wi-Fi" lights up for "wifi".
 */
export function highlight(text: string, terms: ReadonlySet<string>, locale: SearchLocale, size = 24): string {
  return highlighter(terms, locale, size)(text);
}

/** Words of a text beyond this are not looked at for a snippet. */
const HIGHLIGHT_WORDS_MAX = 20_000;

/**
 * `highlight` for several texts of one query: each distinct word is analyzed (folded, stemmed)
 * once across them all, and a text is read only as far as the passage needs: once a window holds
 * every query term, the words after it are not analyzed (the first such window wins anyway).
 */
export function highlighter(terms: ReadonlySet<string>, locale: SearchLocale, size = 24): (text: string) => string {
  const termOfWord = new Map<string, string | null>();
  const lookUp = (word: string): string | null => {
    let found = termOfWord.get(word);
    if (found === undefined) {
      found = analyze(word, locale).find((t) => terms.has(t)) ?? null;
      termOfWord.set(word, found);
    }
    return found;
  };
  // A lone match is centred a little, so its context shows before it.
  const shown = (start: number, count: number) => (count === 1 ? start + size - 1 - Math.floor(size / 2) : start);
  return (text) => {
    const starts: number[] = [];
    const ends: number[] = [];
    const found: (string | null)[] = [];
    const counts = new Map<string, number>();
    const add = (term: string | null, delta: number) => {
      if (!term) return;
      const n = (counts.get(term) ?? 0) + delta;
      if (n === 0) counts.delete(term);
      else counts.set(term, n);
    };
    let best = 0;
    let bestCount = 0;
    for (const match of text.matchAll(FOLDABLE_WORD)) {
      const i = found.length;
      // Every term in the best window: the window is final; only the words it shows (and one
      // more, to know whether the text goes on) are still needed.
      if (bestCount === terms.size && i > shown(best, bestCount) + size) break;
      const term = lookUp(match[0]);
      starts.push(match.index);
      ends.push(match.index + match[0].length);
      found.push(term);
      add(term, 1);
      if (i >= size) add(found[i - size], -1);
      if (counts.size > bestCount) {
        bestCount = counts.size;
        best = Math.max(0, i - size + 1);
      }
      if (found.length >= HIGHLIGHT_WORDS_MAX) break;
    }
    const length = found.length;
    if (length === 0) return text.slice(0, 320);
    best = Math.max(0, shown(best, bestCount));
    while (best > 0 && best + size > length) best--;
    const last = Math.min(length, best + size);
    let out = best > 0 ? "…" : "";
    let at = starts[best];
    for (let k = best; k < last; k++) {
      out += text.slice(at, starts[k]);
      const word = text.slice(starts[k], ends[k]);
      out += found[k] ? `${MARK_OPEN}${word}${MARK_CLOSE}` : word;
      at = ends[k];
    }
    return best + size < length ? `${out}…` : out + text.slice(at);
  };
}
