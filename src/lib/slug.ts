const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * A readable address segment from a title: lowercase ASCII letters and digits joined by hyphens,
 * diacritics folded ("Zürich Wi-Fi" -> "zurich-wi-fi"), at most `max` characters, cut at a word.
 * Empty when the title has no letter or digit in it. Sitemaps call it for every topic: plain
 * ASCII titles skip the Unicode normalization.
 */
export function slugify(text: string, max = 60): string {
  const folded = PRINTABLE_ASCII.test(text)
    ? text.toLowerCase()
    : text
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/ß/g, "ss");
  const slug = folded.replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  if (slug.length <= max) return slug;
  const cut = slug.lastIndexOf("-", max);
  return cut > 0 ? slug.slice(0, cut) : slug.slice(0, max);
}
