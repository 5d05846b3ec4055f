/**
 * Write notebooks in the `.jupyter` format, byte for byte as the Python
 * implementation's `serialize` does (see `docs/spec.md`).
 *
 * A cell or output is written in its structured form when that form holds it
 * exactly; anything else (unknown types, extra or missing fields, values of
 * other types) is written as JSON (`cell_json`, `output_json`).
 */

import { escapeLine, hasUnsafeCharacter, jsonEscape, needsJsonEscape, UNSAFE_CHARACTER } from './escaping';
import {
  encodeBlock,
  encodeLine,
  hasKey,
  isPlainObject,
  JsonObject,
  JsonValue,
  NotJsonError,
  PyFloat,
  nestsDeeper,
  sortedKeys
} from './json';
import { CELL_ID, isJsonMimeType, MAX_NESTING } from './grammar';

/** Raised for a notebook that cannot be written (not JSON data, not nbformat 4). */
export class SerializeError extends Error {}

const INDENT = '    ';
const ESCAPED_INDENT = '   \\';
const NOTEBOOK_FIELDS = new Set(['nbformat', 'nbformat_minor', 'metadata', 'cells']);

/** The `.jupyter` text of a notebook. */
export function serialize(nb: JsonValue): string {
  return render(nb).join('');
}

function typeName(value: unknown): string {
  if (value === null) {
    return 'NoneType';
  }
  if (Array.isArray(value)) {
    return 'list';
  }
  return { string: 'str', number: 'float', bigint: 'int', boolean: 'bool' }[typeof value as string] ?? typeof value;
}

function render(nb: JsonValue): string[] {
  if (!isPlainObject(nb)) {
    throw new SerializeError(`expected a notebook (a dict), got ${typeName(nb)}`);
  }
  const version = nb['nbformat'];
  // Python compares 4.0 == 4 too.
  const isFour = version === 4 || (version instanceof PyFloat && version.value === 4);
  if (!isFour) {
    throw new SerializeError(
      `only nbformat 4 notebooks can be written, this one has nbformat ${pythonRepr(version)}; ` +
        'convert it first with nbformat.convert(nb, 4)'
    );
  }
  if (!hasKey(nb, 'metadata')) {
    throw new SerializeError("the notebook has no 'metadata' field");
  }
  if (!hasKey(nb, 'cells')) {
    throw new SerializeError("the notebook has no 'cells' field");
  }
  const out = [`nbformat ${jsonLine(version, 'nbformat')}\n`];
  if (hasKey(nb, 'nbformat_minor')) {
    out.push(`nbformat_minor ${jsonLine(nb['nbformat_minor'], 'nbformat_minor')}\n`);
  }
  const extraFields: JsonObject = {};
  for (const key of Object.keys(nb)) {
    if (!NOTEBOOK_FIELDS.has(key)) {
      extraFields[key] = nb[key];
    }
  }
  const cells = nb['cells'];
  if (Array.isArray(cells)) {
    cells.forEach((cell, index) => {
      try {
        writeCell(cell, out);
      } catch (error) {
        if (error instanceof SerializeError) {
          throw new SerializeError(`cell ${index}: ${error.message}`);
        }
        throw error;
      }
    });
  } else {
    extraFields['cells'] = cells;
  }
  if (Object.keys(extraFields).length) {
    out.push('notebook_extra_fields\n');
    out.push(jsonBlock(extraFields, 'notebook_extra_fields', 0));
  }
  out.push('notebook_metadata\n');
  out.push(jsonBlock(nb['metadata'], 'notebook_metadata', 1));
  return out;
}

function writeCell(cell: JsonValue, out: string[]): void {
  const cellType = structuredCellType(cell);
  if (cellType === 'code') {
    codeCell(cell as JsonObject, out);
  } else if (cellType !== null) {
    textCell(cellType, cell as JsonObject, out);
  } else {
    out.push('cell_json\n');
    out.push(jsonBlock(cell, 'cell_json', 2));
  }
}

function head(cellType: string, cell: JsonObject): string {
  return hasKey(cell, 'id') ? `${cellType} id=${cell['id']}\n` : `${cellType}\n`;
}

function codeCell(cell: JsonObject, out: string[]): void {
  out.push(head('code', cell));
  out.push(textBlock(cell['source'] as string));
  const count = cell['execution_count'] as number | bigint | null;
  if (count !== null) {
    out.push(` execution_count ${count.toString()}\n`);
  }
  (cell['outputs'] as JsonValue[]).forEach((output, index) => {
    try {
      writeOutput(output, count, out);
    } catch (error) {
      if (error instanceof SerializeError) {
        throw new SerializeError(`output ${index}: ${error.message}`);
      }
      throw error;
    }
  });
  cellMetadata(cell['metadata'] as JsonObject, out);
}

function textCell(cellType: string, cell: JsonObject, out: string[]): void {
  out.push(head(cellType, cell));
  out.push(textBlock(cell['source'] as string));
  if (hasKey(cell, 'attachments')) {
    const attachments = cell['attachments'] as JsonObject;
    const names = sortedKeys(attachments);
    if (!names.length) {
      out.push(' attachments {}\n');
    }
    for (const name of names) {
      out.push(` attachment ${name}\n`);
      mimeBundle(attachments[name] as JsonObject, 5, out);
    }
  }
  cellMetadata(cell['metadata'] as JsonObject, out);
}

function cellMetadata(metadata: JsonObject, out: string[]): void {
  if (Object.keys(metadata).length) {
    out.push(' cell_metadata\n');
    out.push(jsonBlock(metadata, 'cell_metadata', 3));
  }
}

function writeOutput(output: JsonValue, cellCount: number | bigint | null, out: string[]): void {
  const outputType = structuredOutputType(output, cellCount);
  const fields = output as JsonObject;
  if (outputType === 'stream') {
    out.push(` stream ${fields['name']}\n`);
    out.push(textBlock(fields['text'] as string));
  } else if (outputType === 'display_data') {
    out.push(' display_data\n');
    richOutput(fields, out);
  } else if (outputType === 'execute_result') {
    const count = fields['execution_count'] as number | bigint | null;
    out.push(sameCount(count, cellCount) ? ' execute_result\n' : ` execute_result ${String(count)}\n`);
    richOutput(fields, out);
  } else if (outputType === 'error') {
    const ename = fields['ename'] as string;
    out.push(ename ? ` error ${ename}\n` : ' error\n');
    out.push(textBlock(fields['evalue'] as string));
    (fields['traceback'] as string[]).forEach((frame, index) => {
      out.push(index === 0 ? '  traceback\n' : '   -\n');
      out.push(textBlock(frame));
    });
  } else {
    out.push(' output_json\n');
    out.push(jsonBlock(output, 'output_json', 4));
  }
}

function sameCount(a: number | bigint | null, b: number | bigint | null): boolean {
  if (a === null || b === null) {
    return a === b;
  }
  return BigInt(a) === BigInt(b);
}

function richOutput(output: JsonObject, out: string[]): void {
  mimeBundle(output['data'] as JsonObject, 6, out);
  const metadata = output['metadata'] as JsonObject;
  if (Object.keys(metadata).length) {
    out.push('  output_metadata\n');
    out.push(jsonBlock(metadata, 'output_metadata', 5));
  }
}

function mimeBundle(bundle: JsonObject, outer: number, out: string[]): void {
  for (const mimeType of sortedKeys(bundle)) {
    out.push(`   ${mimeType}\n`);
    const data = bundle[mimeType];
    out.push(isJsonMimeType(mimeType) ? jsonBlock(data, mimeType, outer) : textBlock(data as string));
  }
}

/** *text* as indented lines: verbatim where possible, escaped where needed. */
export function textBlock(text: string): string {
  if (!text) {
    return '';
  }
  const parts: string[] = [];
  const unsafe = hasUnsafeCharacter(text);
  for (const line of text.split('\n')) {
    if (!line) {
      parts.push('\n');
    } else if (!unsafe || !UNSAFE_CHARACTER.test(line)) {
      parts.push(INDENT + line + '\n');
    } else {
      parts.push(ESCAPED_INDENT + escapeLine(line) + '\n');
    }
  }
  return parts.join('');
}

function jsonBlock(value: JsonValue, what: string, outer: number): string {
  // Checked first: a JavaScript encoder would run out of stack on deep values.
  checkNesting(value, what, outer);
  let text: string;
  try {
    text = encodeBlock(value, INDENT);
  } catch (error) {
    if (error instanceof NotJsonError) {
      throw new SerializeError(`${what} is not JSON data: ${error.message}`);
    }
    throw error;
  }
  return needsJsonEscape(text) ? jsonEscape(text) : text;
}

function jsonLine(value: JsonValue, what: string): string {
  checkNesting(value, what, 1);
  let text: string;
  try {
    text = encodeLine(value);
  } catch (error) {
    if (error instanceof NotJsonError) {
      throw new SerializeError(`${what} is not JSON data: ${error.message}`);
    }
    throw error;
  }
  return text;
}

function checkNesting(value: JsonValue, what: string, outer: number): void {
  if (nestsDeeper(value, MAX_NESTING - outer)) {
    throw new SerializeError(
      `${what} is nested too deeply (a notebook nests at most ${MAX_NESTING} levels)`
    );
  }
}

// Which cells and outputs the structured syntax holds exactly (shapes.py).

const TEXT_CELL_REQUIRED = ['cell_type', 'metadata', 'source'];
const TEXT_CELL_ALLOWED = new Set([...TEXT_CELL_REQUIRED, 'id', 'attachments']);
const CODE_CELL_REQUIRED = ['cell_type', 'metadata', 'source', 'outputs', 'execution_count'];
const CODE_CELL_ALLOWED = new Set([...CODE_CELL_REQUIRED, 'id']);

function hasExactly(object: JsonObject, required: string[], allowed: Set<string>): boolean {
  return required.every(key => hasKey(object, key)) && Object.keys(object).every(key => allowed.has(key));
}

function hasFields(object: JsonObject, fields: string[]): boolean {
  const keys = Object.keys(object);
  return keys.length === fields.length && fields.every(key => hasKey(object, key));
}

export function structuredCellType(cell: JsonValue): string | null {
  if (!isPlainObject(cell)) {
    return null;
  }
  const cellType = cell['cell_type'];
  let structured: boolean;
  if (cellType === 'code') {
    structured =
      hasExactly(cell, CODE_CELL_REQUIRED, CODE_CELL_ALLOWED) &&
      hasValidIdOrNone(cell) &&
      isPlainObject(cell['metadata']) &&
      typeof cell['source'] === 'string' &&
      Array.isArray(cell['outputs']) &&
      isCount(cell['execution_count']);
  } else if (cellType === 'markdown' || cellType === 'raw') {
    structured =
      hasExactly(cell, TEXT_CELL_REQUIRED, TEXT_CELL_ALLOWED) &&
      hasValidIdOrNone(cell) &&
      isPlainObject(cell['metadata']) &&
      typeof cell['source'] === 'string' &&
      hasStructuredAttachments(cell);
  } else {
    return null;
  }
  return structured ? cellType : null;
}

export function structuredOutputType(output: JsonValue, cellCount: number | bigint | null): string | null {
  if (!isPlainObject(output)) {
    return null;
  }
  const outputType = output['output_type'];
  let structured: boolean;
  if (outputType === 'stream') {
    const name = output['name'];
    structured =
      hasFields(output, ['output_type', 'name', 'text']) &&
      typeof name === 'string' &&
      isWord(name) &&
      typeof output['text'] === 'string';
  } else if (outputType === 'display_data') {
    structured = hasFields(output, ['output_type', 'data', 'metadata']) && isRich(output);
  } else if (outputType === 'execute_result') {
    const count = output['execution_count'];
    structured =
      hasFields(output, ['output_type', 'data', 'metadata', 'execution_count']) &&
      isRich(output) &&
      isCount(count) &&
      (count !== null || cellCount === null);
  } else if (outputType === 'error') {
    structured =
      hasFields(output, ['output_type', 'ename', 'evalue', 'traceback']) && isStructuredError(output);
  } else {
    return null;
  }
  return structured ? outputType : null;
}

/** An execution count the syntax holds: an integer (not a float, not a boolean) or null. */
export function isCount(value: JsonValue | undefined): boolean {
  return value === null || typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value) && !Object.is(value, -0));
}

/** Text that can stand as the rest of a line, such as a stream name. */
export function isWord(text: string): boolean {
  return text !== '' && text === pythonStrip(text) && !text.includes('\n') && !UNSAFE_CHARACTER.test(text);
}

// Python's str.strip() removes Unicode white space (str.isspace), not only ASCII.
const PYTHON_SPACE =
  '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PYTHON_SPACE}]+|[${PYTHON_SPACE}]+$`, 'g');

export function pythonStrip(text: string): string {
  return text.replace(STRIP, '');
}

function hasValidIdOrNone(cell: JsonObject): boolean {
  if (!hasKey(cell, 'id')) {
    return true;
  }
  const id = cell['id'];
  return typeof id === 'string' && CELL_ID.test(id);
}

function hasStructuredAttachments(cell: JsonObject): boolean {
  const attachments = hasKey(cell, 'attachments') ? cell['attachments'] : {};
  return (
    isPlainObject(attachments) &&
    Object.entries(attachments).every(([name, bundle]) => isWord(name) && isMimeBundle(bundle))
  );
}

function isRich(output: JsonObject): boolean {
  return isMimeBundle(output['data']) && isPlainObject(output['metadata']);
}

function isMimeBundle(bundle: JsonValue): boolean {
  if (!isPlainObject(bundle)) {
    return false;
  }
  return Object.entries(bundle).every(
    ([mimeType, data]) =>
      isWord(mimeType) && mimeType[0] !== '\\' && (typeof data === 'string' || isJsonMimeType(mimeType))
  );
}

function isStructuredError(output: JsonObject): boolean {
  const { ename, evalue, traceback } = output as { [key: string]: JsonValue };
  return (
    typeof ename === 'string' &&
    (ename === '' || isWord(ename)) &&
    typeof evalue === 'string' &&
    Array.isArray(traceback) &&
    traceback.every(frame => typeof frame === 'string')
  );
}

/** Python's `repr()` of a JSON value, for messages. */
export function pythonRepr(value: JsonValue | undefined): string {
  if (value === undefined || value === null) {
    return 'None';
  }
  if (value === true) {
    return 'True';
  }
  if (value === false) {
    return 'False';
  }
  if (typeof value === 'string') {
    return stringRepr(value);
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    return encodeLine(value);
  }
  if (Array.isArray(value)) {
    return '[' + value.map(pythonRepr).join(', ') + ']';
  }
  if (isPlainObject(value)) {
    return '{' + Object.keys(value).map(key => `${stringRepr(key)}: ${pythonRepr(value[key])}`).join(', ') + '}';
  }
  return encodeLine(value);
}

// What Python's str.isprintable() refuses: "Other" and "Separator" characters but the space.
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's `repr()` of a string. */
export function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let result = quote;
  for (const character of text) {
    if (character === quote || character === '\\') {
      result += '\\' + character;
    } else if (character === '\n') {
      result += '\\n';
    } else if (character === '\r') {
      result += '\\r';
    } else if (character === '\t') {
      result += '\\t';
    } else if (character !== ' ' && NOT_PRINTABLE.test(character)) {
      const code = character.codePointAt(0)!;
      const digits = code.toString(16);
      result += code < 0x100 ? `\\x${digits.padStart(2, '0')}` : code < 0x10000 ? `\\u${digits.padStart(4, '0')}` : `\\U${digits.padStart(8, '0')}`;
    } else {
      result += character;
    }
  }
  return result + quote;
}
