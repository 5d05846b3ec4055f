/**
 * Characters that never appear raw in a `.jupyter` file, and their escapes.
 *
 * A line of text that holds one of them is written as an *escaped line*: the
 * fourth column of its indentation is a backslash instead of a space, and the
 * text uses `\\`, `\r`, `\xHH` and `\uHHHH`.  All other lines are verbatim.
 * The list is the spec's ("Unsafe characters"), the same as the Python
 * implementation's `escaping.py`.
 */

const C0_CONTROLS = '\\x00-\\x08\\x0b-\\x1f';
// DEL and C1 controls, line and paragraph separators, and the invisible
// format characters of the BMP (bidirectional controls and marks, zero-width
// characters) except the joiners and visible marks.  Lone surrogates too:
// JavaScript strings are UTF-16, so a surrogate is unsafe only when it is not
// half of a pair (a character beyond the BMP, one code point in Python).
const OTHER_UNSAFE =
  '\\x7f-\\x9f\\u2028\\u2029' +
  '\\xad\\u061c\\u200b\\u200e\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f' +
  '\\ufeff\\ufff9-\\ufffb';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

/** One character a file must not hold raw. */
export const UNSAFE_CHARACTER = new RegExp(`[${C0_CONTROLS}${OTHER_UNSAFE}]|${LONE_SURROGATE}`);
/** What JSON blocks escape beyond what JSON's own string escapes do. */
const JSON_UNSAFE_CHARACTER = new RegExp(`[${OTHER_UNSAFE}]|${LONE_SURROGATE}`, 'g');
const TO_ESCAPE = new RegExp(`[\\\\${C0_CONTROLS}${OTHER_UNSAFE}]|${LONE_SURROGATE}`, 'g');
const ESCAPE_SEQUENCE = /\\(?:([\\r])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))?/g;

export function hasUnsafeCharacter(text: string): boolean {
  return UNSAFE_CHARACTER.test(text);
}

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}

/** The escaped form of one line of text (without its newline). */
export function escapeLine(line: string): string {
  return line.replace(TO_ESCAPE, character => {
    if (character === '\\') {
      return '\\\\';
    }
    if (character === '\r') {
      return '\\r';
    }
    const code = character.charCodeAt(0);
    return code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  });
}

/** A backslash that starts no valid escape, at *index* of the escaped text. */
export class InvalidEscapeError extends Error {
  constructor(readonly index: number) {
    super(`invalid escape at ${index}`);
  }
}

/** Invert {@link escapeLine}. */
export function unescapeLine(text: string): string {
  return text.replace(
    ESCAPE_SEQUENCE,
    (match: string, simple: string | undefined, byte: string | undefined, unit: string | undefined, index: number) => {
      if (simple !== undefined) {
        return simple === '\\' ? '\\' : '\r';
      }
      const digits = byte ?? unit;
      if (digits === undefined) {
        throw new InvalidEscapeError(index);
      }
      return String.fromCharCode(parseInt(digits, 16));
    }
  );
}

/** Replace the characters a file must not hold raw by JSON `\uXXXX` escapes. */
export function jsonEscape(jsonText: string): string {
  return jsonText.replace(JSON_UNSAFE_CHARACTER, character => `\\u${hex(character.charCodeAt(0), 4)}`);
}

/** Tell whether JSON text holds a character that {@link jsonEscape} replaces. */
export function needsJsonEscape(jsonText: string): boolean {
  JSON_UNSAFE_CHARACTER.lastIndex = 0;
  const found = JSON_UNSAFE_CHARACTER.test(jsonText);
  JSON_UNSAFE_CHARACTER.lastIndex = 0;
  return found;
}
