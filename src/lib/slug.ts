/**
 * A readable address segment from a title: lowercase ASCII letters and digits joined by hyphens,
 * diacritics folded ("Zürich Wi-Fi" -> "zurich-wi-fi"), at most `max` characters, cut at a word.
 * Empty when the title has no letter or digit in it.
 */
export function slugify(text: string, max = 60): string {
  const words = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > max) return slug || word.slice(0, max);
    slug = next;
  }
  return slug;
}
