const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** The text of our own rendered Markdown (sanitized HTML): tags dropped, entities decoded, spaces collapsed. */
export function plainText(html: string): string {
  return (
    html
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
      // Blocks end words; inline elements (strong, a, code) sit inside them.
      .replace(/<\/?(?:p|br|li|ul|ol|div|h[1-6]|pre|blockquote|hr|tr|td|th|table)\b[^>]*>/gi, " ")
      .replace(/<[^>]*>/g, "")
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
        if (name[0] === "#") {
          const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
          return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : " ";
        }
        return ENTITIES[name.toLowerCase()] ?? entity;
      })
      .replace(/\s+/g, " ")
      .trim()
  );
}

/**
 * A meta description: the first sentences of a text that fit in `max` characters; a first
 * sentence longer than that is cut at a word and ends with "…".
 */
export function firstSentences(text: string, max = 160): string {
  if (text.length <= max) return text;
  const sentences = text.split(/(?<=[.!?])\s+/);
  let out = "";
  for (const sentence of sentences) {
    const next = out ? `${out} ${sentence}` : sentence;
    if (next.length > max) break;
    out = next;
  }
  if (out) return out;
  // Never between the two halves of a character beyond the BMP (an emoji): half of one shows as "�".
  const cut = text.slice(0, /[\ud800-\udbff]/.test(text[max - 2]) ? max - 2 : max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
