/**
 * Text a member typed, made safe to keep: control characters other than tab and newline removed
 * (a NUL cannot be stored in PostgreSQL or shown in a card), lone surrogates replaced by U+FFFD,
 * line ends unified. Everything else is kept exactly: markdown, HTML-like text and `${…}` are the
 * member's words and are shown literally (see cards/render.ts).
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Whether a string holds half of a surrogate pair on its own (not valid Unicode text). */
export function hasLoneSurrogate(s: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(s);
}

export function cleanMemberText(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(CONTROL, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** An id from a text and a moment: "Gebruiken jullie MAGDA?" → "gebruiken-jullie-magda-k3x9" (`fallback` for a text without letters). */
export function slugId(text: string, now: Date, fallback: string): string {
  const slug = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return `${slug || fallback}-${now.getTime().toString(36).slice(-5)}`;
}

/** A text cut to `max` characters with an ellipsis, at most (for button titles and summaries). */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
