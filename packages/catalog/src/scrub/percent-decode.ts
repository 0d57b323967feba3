const ESCAPE = /%[0-9A-Fa-f]{2}/;
const ESCAPES = /%([0-9A-Fa-f]{2})/g;

/** Whether the text holds a `%XX` escape (URL encoding) that could hide PII from the scanners. */
export function hasPercentEscape(text: string): boolean {
  return text.includes('%') && ESCAPE.test(text);
}

/**
 * Decodes `%XX` escapes once. Never throws: when the text is not valid percent-encoded UTF-8
 * (`100% of 5%`, a truncated sequence), only the ASCII escapes are decoded. `+` stays `+`: it is
 * a space only in form bodies, and decoding it would break `+49...` and plus addressing.
 */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(ESCAPES, (sequence, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : sequence;
    });
  }
}
