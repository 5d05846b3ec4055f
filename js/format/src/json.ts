/**
 * JSON as the Python implementation reads and writes it.
 *
 * The `.jupyter` format is specified by what Python's `json` module does:
 * `NaN` and `Infinity` are values, `1` (an integer) and `1.0` (a float) are
 * different values, integers have no size limit (Python refuses to convert
 * more than 4300 digits), and error messages and positions are those of
 * CPython's `json` decoder.  JavaScript's `JSON.parse` does none of that, so
 * this module parses and encodes JSON itself.
 *
 * Values are plain JSON data (objects, arrays, strings, booleans, null,
 * numbers), with two additions so that nothing is lost:
 * - `bigint` for an integer outside JavaScript's safe range;
 * - {@link PyFloat} for a float that a `number` would confuse with an
 *   integer (`1.0`, `-0.0`, `1e16`).
 * A `number` that is an integer is written as one; any other is a float.
 */

/** A float whose value is a whole number, kept apart from the integer. */
export class PyFloat {
  constructor(readonly value: number) {}

  toJSON(): number {
    return this.value;
  }
}

export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | PyFloat
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

export type JsonObject = { [key: string]: JsonValue };

/** Python's limit on the digits of an integer it converts from text. */
export const MAX_INT_DIGITS = 4300;

/** A JSON syntax error at a character index of the text, as CPython reports it. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly msg: string,
    readonly pos: number
  ) {
    super(`${msg}: char ${pos}`);
  }
}

/** An integer with more digits than Python converts. */
export class JsonDigitsError extends Error {}

/** JSON nested deeper than the parser goes (it counts levels as it recurses). */
export class JsonDepthError extends Error {}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** Set a key on a plain object, even `__proto__`, as a data property. */
export function setKey(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true
    });
  } else {
    object[key] = value;
  }
}

/** Tell whether *object* has its own property *key*. */
export function hasKey(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

class Parser {
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number
  ) {}

  /** Python's `json.loads`: one value, with only whitespace around it. */
  decode(): JsonValue {
    const start = this.skip(0);
    const [value, end] = this.value(start);
    const after = this.skip(end);
    if (after !== this.text.length) {
      throw new JsonSyntaxError('Extra data', after);
    }
    return value;
  }

  /** The value at *start* and the index after it, or an error. */
  valueAt(start: number): [JsonValue, number] {
    return this.value(start);
  }

  private skip(index: number): number {
    const text = this.text;
    while (index < text.length && WHITESPACE.has(text[index])) {
      index++;
    }
    return index;
  }

  private value(index: number): [JsonValue, number] {
    const text = this.text;
    if (index >= text.length) {
      throw new JsonSyntaxError('Expecting value', index);
    }
    switch (text[index]) {
      case '"':
        return this.string(index + 1);
      case '{':
        return this.nested(() => this.object(index + 1));
      case '[':
        return this.nested(() => this.array(index + 1));
    }
    // The named values, by their first character (a '-' that starts none is a number's).
    const named = NAMED_VALUES[text[index]];
    if (named !== undefined && text.startsWith(named[0], index)) {
      return [named[1], index + named[0].length];
    }
    return this.number(index);
  }

  private nested(parse: () => [JsonValue, number]): [JsonValue, number] {
    this.depth++;
    if (this.depth > this.maxDepth) {
      throw new JsonDepthError('nested too deeply');
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private number(start: number): [JsonValue, number] {
    const text = this.text;
    const last = text.length - 1;
    let index = start;
    if (text[index] === '-') {
      index++;
      if (index > last) {
        throw new JsonSyntaxError('Expecting value', start);
      }
    }
    if (text[index] >= '1' && text[index] <= '9') {
      index++;
      while (index <= last && isDigit(text[index])) {
        index++;
      }
    } else if (text[index] === '0') {
      index++;
    } else {
      throw new JsonSyntaxError('Expecting value', start);
    }
    let isFloat = false;
    if (index < last && text[index] === '.' && isDigit(text[index + 1])) {
      isFloat = true;
      index += 2;
      while (index <= last && isDigit(text[index])) {
        index++;
      }
    }
    if (index < last && (text[index] === 'e' || text[index] === 'E')) {
      const exponentStart = index;
      index++;
      if (index < last && (text[index] === '-' || text[index] === '+')) {
        index++;
      }
      while (index <= last && isDigit(text[index])) {
        index++;
      }
      if (isDigit(text[index - 1])) {
        isFloat = true;
      } else {
        index = exponentStart;
      }
    }
    const literal = text.slice(start, index);
    return [isFloat ? floatValue(Number(literal)) : integerValue(literal), index];
  }

  private string(start: number): [string, number] {
    const text = this.text;
    const begin = start - 1;
    let chunks = '';
    let end = start;
    for (;;) {
      let next = end;
      let character = '';
      for (; next < text.length; next++) {
        character = text[next];
        if (character === '"' || character === '\\') {
          break;
        }
        if (character.charCodeAt(0) <= 0x1f) {
          throw new JsonSyntaxError('Invalid control character at', next);
        }
      }
      if (next >= text.length) {
        throw new JsonSyntaxError('Unterminated string starting at', begin);
      }
      chunks += text.slice(end, next);
      next++;
      if (character === '"') {
        return [chunks, next];
      }
      if (next === text.length) {
        throw new JsonSyntaxError('Unterminated string starting at', begin);
      }
      const escape = text[next];
      if (escape !== 'u') {
        end = next + 1;
        const simple = SIMPLE_ESCAPES[escape];
        if (simple === undefined) {
          throw new JsonSyntaxError('Invalid \\escape', end - 2);
        }
        chunks += simple;
        continue;
      }
      next++;
      end = next + 4;
      if (end >= text.length) {
        throw new JsonSyntaxError('Invalid \\uXXXX escape', next - 1);
      }
      let unit = hexValue(text.slice(next, end));
      if (unit < 0) {
        throw new JsonSyntaxError('Invalid \\uXXXX escape', end - 5);
      }
      if (
        unit >= 0xd800 &&
        unit <= 0xdbff &&
        end + 6 < text.length &&
        text[end] === '\\' &&
        text[end + 1] === 'u'
      ) {
        const low = hexValue(text.slice(end + 2, end + 6));
        if (low < 0) {
          throw new JsonSyntaxError('Invalid \\uXXXX escape', end + 1);
        }
        if (low >= 0xdc00 && low <= 0xdfff) {
          chunks += String.fromCharCode(unit, low);
          end += 6;
          unit = -1;
        }
      }
      if (unit >= 0) {
        chunks += String.fromCharCode(unit);
      }
    }
  }

  private object(start: number): [JsonValue, number] {
    const text = this.text;
    const result: JsonObject = {};
    let index = this.skip(start);
    if (index < text.length && text[index] === '}') {
      return [result, index + 1];
    }
    for (;;) {
      if (index >= text.length || text[index] !== '"') {
        throw new JsonSyntaxError('Expecting property name enclosed in double quotes', index);
      }
      const [key, afterKey] = this.string(index + 1);
      index = this.skip(afterKey);
      if (index >= text.length || text[index] !== ':') {
        throw new JsonSyntaxError("Expecting ':' delimiter", index);
      }
      index = this.skip(index + 1);
      const [value, afterValue] = this.value(index);
      setKey(result, key, value);
      index = this.skip(afterValue);
      if (index < text.length && text[index] === '}') {
        return [result, index + 1];
      }
      if (index >= text.length || text[index] !== ',') {
        throw new JsonSyntaxError("Expecting ',' delimiter", index);
      }
      index = this.skip(index + 1);
    }
  }

  private array(start: number): [JsonValue, number] {
    const text = this.text;
    const result: JsonValue[] = [];
    let index = this.skip(start);
    if (index < text.length && text[index] === ']') {
      return [result, index + 1];
    }
    for (;;) {
      const [value, afterValue] = this.value(index);
      result.push(value);
      index = this.skip(afterValue);
      if (index < text.length && text[index] === ']') {
        return [result, index + 1];
      }
      if (index >= text.length || text[index] !== ',') {
        throw new JsonSyntaxError("Expecting ',' delimiter", index);
      }
      index = this.skip(index + 1);
    }
  }
}

const NAMED_VALUES: { [first: string]: [string, JsonValue] } = {
  n: ['null', null],
  t: ['true', true],
  f: ['false', false],
  N: ['NaN', NaN],
  I: ['Infinity', Infinity],
  '-': ['-Infinity', -Infinity]
};

const SIMPLE_ESCAPES: { [escape: string]: string } = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t'
};

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}

function hexValue(digits: string): number {
  return /^[0-9a-fA-F]{4}$/.test(digits) ? parseInt(digits, 16) : -1;
}

function integerValue(literal: string): number | bigint {
  const digits = literal.startsWith('-') ? literal.length - 1 : literal.length;
  if (digits > MAX_INT_DIGITS) {
    throw new JsonDigitsError(`an integer with more than ${MAX_INT_DIGITS} digits`);
  }
  const value = Number(literal);
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
    return value;
  }
  return Object.is(value, -0) ? 0 : BigInt(literal);
}

function floatValue(value: number): number | PyFloat {
  return Number.isInteger(value) || Object.is(value, -0) ? new PyFloat(value) : value;
}

/**
 * Parse JSON text as Python's `json.loads` does.
 *
 * @throws JsonSyntaxError with CPython's message and position.
 * @throws JsonDigitsError for an integer of more than 4300 digits.
 * @throws JsonDepthError beyond *maxDepth* levels of nesting.
 */
export function parseJson(text: string, maxDepth = 100_000): JsonValue {
  return new Parser(text, maxDepth).decode();
}

/** Parse the JSON value that starts at *start*; return it and the index after it. */
export function scanJson(text: string, start: number, maxDepth = 100_000): [JsonValue, number] {
  return new Parser(text, maxDepth).valueAt(start);
}

// Encoding

/** Compare strings by code point, as Python sorts them. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) {
      // A character beyond the BMP is two units: its code point sorts it.
      return a.codePointAt(index)! - b.codePointAt(index)!;
    }
  }
  return a.length - b.length;
}

/** Sorted keys of an object, as Python's `sorted()` orders them. */
export function sortedKeys(object: object): string[] {
  return Object.keys(object).sort(compareCodePoints);
}

const STRING_ESCAPES: { [character: string]: string } = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f'
};

/** A JSON string literal as Python's `json` writes it with `ensure_ascii=False`. */
export function encodeString(text: string): string {
  // eslint-disable-next-line no-control-regex
  return '"' + text.replace(/["\\\x00-\x1f]/g, escapeJsonCharacter) + '"';
}

function escapeJsonCharacter(character: string): string {
  return (
    STRING_ESCAPES[character] ?? '\\u' + character.charCodeAt(0).toString(16).padStart(4, '0')
  );
}

/** A float as Python's `repr` writes it (`1.0`, `1e+16`, `1.5e-07`, `NaN`). */
export function floatRepr(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (value === Infinity) {
    return 'Infinity';
  }
  if (value === -Infinity) {
    return '-Infinity';
  }
  if (value === 0) {
    return Object.is(value, -0) ? '-0.0' : '0.0';
  }
  // The shortest digits that read back as the same float, as Python's repr.
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const sign = value < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${fraction}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exponent < 0) {
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  if (digits.length <= exponent + 1) {
    return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  }
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** A number as Python writes it: an integer as digits, any other as a float. */
export function numberText(value: number | bigint | PyFloat): string {
  if (value instanceof PyFloat) {
    return floatRepr(value.value);
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (Number.isInteger(value) && !Object.is(value, -0)) {
    return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  }
  return floatRepr(value);
}

/** Raised for what is not JSON data (functions, symbols, undefined, cycles). */
export class NotJsonError extends Error {}

/**
 * JSON text as Python's `json.dumps(value, sort_keys=True)` writes it on one
 * line (with `ensure_ascii=True`: everything beyond ASCII as `\uXXXX`).
 */
export function encodeLine(value: JsonValue): string {
  const parts: string[] = [];
  encodeValue(value, null, parts, new Set());
  return parts.join('').replace(/[^\x00-\x7e]/g, character => {
    return '\\u' + character.charCodeAt(0).toString(16).padStart(4, '0');
  });
}

/**
 * JSON lines as the Python writer's JSON blocks: indented one space per
 * level after *indent*, keys sorted, each line starting with *indent* and
 * the text ending with a newline (`json.dumps(..., indent=1, sort_keys=True,
 * ensure_ascii=False)`, indented).
 */
export function encodeBlock(value: JsonValue, indent: string): string {
  const parts: string[] = [indent];
  encodeValue(value, '\n' + indent, parts, new Set());
  parts.push('\n');
  return parts.join('');
}

function encodeValue(
  value: JsonValue,
  newline: string | null,
  parts: string[],
  active: Set<object>
): void {
  if (typeof value === 'string') {
    parts.push(encodeString(value));
  } else if (value === null) {
    parts.push('null');
  } else if (value === true) {
    parts.push('true');
  } else if (value === false) {
    parts.push('false');
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    parts.push(numberText(value));
  } else if (value instanceof PyFloat) {
    parts.push(floatRepr(value.value));
  } else if (Array.isArray(value) || isPlainObject(value)) {
    if (active.has(value)) {
      throw new NotJsonError('Circular reference detected');
    }
    active.add(value);
    encodeContainer(value, newline, parts, active);
    active.delete(value);
  } else {
    throw new NotJsonError(`Object of type ${typeof value} is not JSON serializable`);
  }
}

function encodeContainer(
  value: JsonValue[] | JsonObject,
  newline: string | null,
  parts: string[],
  active: Set<object>
): void {
  const isArray = Array.isArray(value);
  const keys = isArray ? null : sortedKeys(value);
  const length = isArray ? value.length : keys!.length;
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (length === 0) {
    parts.push(open + close);
    return;
  }
  const inner = newline === null ? null : newline + ' ';
  const separator = inner === null ? ', ' : ',' + inner;
  parts.push(inner === null ? open : open + inner);
  for (let index = 0; index < length; index++) {
    if (index > 0) {
      parts.push(separator);
    }
    if (isArray) {
      encodeValue((value as JsonValue[])[index], inner, parts, active);
    } else {
      const key = keys![index];
      parts.push(encodeString(key), ': ');
      encodeValue((value as JsonObject)[key], inner, parts, active);
    }
  }
  parts.push(newline === null ? close : newline + close);
}

export function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** How many levels *value* nests (a list or object is one more than what it holds). */
export function nestsDeeper(value: JsonValue, levels: number): boolean {
  const pending: [JsonValue, number][] = [[value, 1]];
  while (pending.length) {
    const [container, depth] = pending.pop()!;
    if (!(Array.isArray(container) || isPlainObject(container))) {
      continue;
    }
    if (depth > levels) {
      return true;
    }
    const items = Array.isArray(container) ? container : Object.values(container);
    for (const item of items) {
      if (Array.isArray(item) || isPlainObject(item)) {
        pending.push([item, depth + 1]);
      }
    }
  }
  return false;
}
