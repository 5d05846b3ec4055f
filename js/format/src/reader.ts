/**
 * Read notebooks in the `.jupyter` format, with the Python implementation's
 * error messages and positions (see `docs/spec.md`).
 *
 * A file is a sequence of *items*: a head line (`code id=...`,
 * ` stream stdout`, `notebook_metadata`, ...) and the lines of its *block*,
 * indented by four spaces (or blank, or escaped).  The reader splits the text
 * into items and walks them with one method per grammar rule.  Positions are
 * indices into the text while parsing and become line and column (counted in
 * characters, from 1) only when an error is reported.
 */

import { InvalidEscapeError, unescapeLine } from './escaping';
import { CELL_ID, isJsonMimeType, MAX_NESTING } from './grammar';
import {
  hasKey,
  isPlainObject,
  JsonDepthError,
  JsonDigitsError,
  JsonObject,
  JsonSyntaxError,
  JsonValue,
  MAX_INT_DIGITS,
  nestsDeeper,
  parseJson,
  PyFloat,
  setKey
} from './json';
import { minorVersionProblem, NotebookSchema, schemaFor } from './schema';
import { stringRepr } from './writer';

/** Text that is not a `.jupyter` file, with where (line and column from 1). */
export class ParseError extends Error {
  constructor(
    readonly msg: string,
    readonly lineno: number,
    readonly colno: number
  ) {
    super(`line ${lineno}, column ${colno}: ${msg}`);
  }
}

export interface ReadOptions {
  /**
   * Check the notebook against nbformat's JSON schema for its nbformat_minor,
   * as the Python implementation does: what the syntax leaves open (ids,
   * execution counts, the free-form JSON), with the same messages.
   */
  validate?: boolean;
}

const ITEM = /\n(?! {4}| {3}\\|\n| {1,3}(?:\n|$))([^\n]*)/;
const CONFLICT_MARKER = /^(?:<{7,}|={7,}|>{7,}|\|{7,})(?: |\r?\n)/m;
const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const UNSIGNED_INTEGER = /^(?:0|[1-9][0-9]*)$/;
const CELL_TYPES = new Set(['markdown', 'code', 'raw']);
const QUOTE_LIMIT = 40;
/** Where JSON parsing stops recursing (Python's decoder stops near its recursion limit). */
const PARSE_DEPTH = 900;

/** The `.jupyter` text (a string, or UTF-8 bytes) as a notebook. */
export function deserialize(source: string | Uint8Array, options: ReadOptions = {}): JsonObject {
  const [text, invalid] = typeof source === 'string' ? [checkedText(source), []] : decodeUtf8(source);
  return new Reader(text, invalid, options.validate ?? false).notebook();
}

function checkedText(source: string): string {
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(source);
  if (lone !== null) {
    const before = source.slice(0, lone.index);
    throw new ParseError(
      `lone surrogate ${stringRepr(lone[0])} cannot be part of a text file`,
      count(before, '\n') + 1,
      lone.index - before.lastIndexOf('\n')
    );
  }
  return source;
}

/** Decode UTF-8, replacing each invalid sequence by U+FFFD; also return where those are. */
export function decodeUtf8(bytes: Uint8Array): [string, number[]] {
  try {
    return [new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), []];
  } catch {
    // Decode again, piece by piece, to learn where the invalid bytes are.
  }
  const pieces: string[] = [];
  const invalid: number[] = [];
  let length = 0;
  let start = 0;
  let index = 0;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  while (index < bytes.length) {
    const size = sequenceLength(bytes, index);
    if (size > 0) {
      index += size;
      continue;
    }
    const valid = decoder.decode(bytes.subarray(start, index));
    pieces.push(valid, '\ufffd');
    length += valid.length;
    invalid.push(length);
    length += 1;
    index += Math.max(1, -size);
    start = index;
  }
  pieces.push(decoder.decode(bytes.subarray(start)));
  return [pieces.join(''), invalid];
}

/** The length of the valid UTF-8 sequence at *index*, or minus the bytes to replace. */
function sequenceLength(bytes: Uint8Array, index: number): number {
  const first = bytes[index];
  if (first < 0x80) {
    return 1;
  }
  let size: number;
  let low = 0x80;
  let high = 0xbf;
  if (first >= 0xc2 && first <= 0xdf) {
    size = 2;
  } else if (first >= 0xe0 && first <= 0xef) {
    size = 3;
    if (first === 0xe0) low = 0xa0;
    if (first === 0xed) high = 0x9f;
  } else if (first >= 0xf0 && first <= 0xf4) {
    size = 4;
    if (first === 0xf0) low = 0x90;
    if (first === 0xf4) high = 0x8f;
  } else {
    return -1;
  }
  for (let offset = 1; offset < size; offset++) {
    const byte = bytes[index + offset];
    const [min, max] = offset === 1 ? [low, high] : [0x80, 0xbf];
    if (byte === undefined || byte < min || byte > max) {
      return -offset;
    }
  }
  return size;
}

function count(text: string, what: string): number {
  let found = 0;
  for (let index = text.indexOf(what); index >= 0; index = text.indexOf(what, index + 1)) {
    found++;
  }
  return found;
}

function shortened(text: string): string {
  const characters = Array.from(text);
  return characters.length > QUOTE_LIMIT ? characters.slice(0, QUOTE_LIMIT).join('') + '...' : text;
}

/** Python's truth value of JSON data. */
function truthy(value: JsonValue): boolean {
  if (value === null || value === false || value === '' || value === 0 || value === 0n) {
    return false;
  }
  if (value instanceof PyFloat) {
    return value.value !== 0;
  }
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  if (isPlainObject(value)) {
    return Object.keys(value).length > 0;
  }
  return true;
}

class Reader {
  private readonly data: string;
  private heads: string[] = [];
  private blocks: string[] = [];
  private index = -1;
  private head = '';
  private block = '';
  private offset = -1;
  private exhausted = false;
  /** The schema the notebook is checked against (validation only). */
  private schema: NotebookSchema | null = null;
  private readonly cellIds = new Map<string, number>();

  constructor(
    private readonly original: string,
    private readonly invalid: number[],
    private readonly validate: boolean
  ) {
    this.data = original;
    this.data = this.withLfLineEndings();
    this.split();
    this.nextItem();
  }

  // The file as a whole

  private withLfLineEndings(): string {
    const data = this.original;
    if (!data) {
      this.errorAt("the file is empty; a .jupyter file starts with 'nbformat 4'", 0);
    }
    if (data.startsWith('\ufeff')) {
      this.errorAt('byte order mark (BOM) at the start; .jupyter files are UTF-8 without BOM', 0);
    }
    if (!data.includes('\r')) {
      return data;
    }
    // Git for Windows checks text files out with CRLF line endings; text in
    // a .jupyter file never holds a raw CR, so LF endings come back exactly.
    const converted = data.replace(/\r\n/g, '\n');
    if (converted.includes('\r') || data.length - converted.length !== count(converted, '\n')) {
      this.lineEndingError();
    }
    if (this.invalid.length) {
      // Positions of invalid bytes move back by one for each CR removed before them.
      const removed = crlfBefore(data);
      this.invalid.splice(0, this.invalid.length, ...this.invalid.map(position => position - removed(position)));
    }
    return converted;
  }

  private lineEndingError(): never {
    const data = this.original;
    const lone = /\r(?!\n)/.exec(data);
    const firstNewline = data.indexOf('\n');
    let mixed: RegExpExecArray | null;
    let endings: string;
    if (firstNewline > 0 && data[firstNewline - 1] === '\r') {
      mixed = /(?<!\r)\n/.exec(data);
      endings = 'LF, but line 1 with CRLF';
    } else {
      mixed = /\r\n/.exec(data);
      endings = 'CRLF, but line 1 with LF';
    }
    if (lone !== null && (mixed === null || lone.index < mixed.index)) {
      this.errorAt(
        'carriage return (CR) not followed by LF; .jupyter files hold CR only in CRLF ' +
          'line endings and write it in text as \\r',
        lone.index,
        data
      );
    }
    this.errorAt(
      `mixed line endings: this line ends with ${endings}; a .jupyter file ends ` +
        'every line with LF, or every line with CRLF',
      mixed!.index,
      data
    );
  }

  // Items

  private split(): void {
    const parts = this.data.split(ITEM);
    const first = parts[0];
    const newline = first.indexOf('\n');
    const heads = [newline < 0 ? first : first.slice(0, newline)];
    const blocks = [newline < 0 ? '' : first.slice(newline)];
    for (let index = 1; index < parts.length; index += 2) {
      heads.push(parts[index]);
      blocks.push(parts[index + 1]);
    }
    if (!heads[heads.length - 1] && !blocks[blocks.length - 1]) {
      heads.pop();
      blocks.pop();
    }
    this.heads = heads;
    this.blocks = blocks;
  }

  private nextItem(): void {
    this.offset += this.head.length + this.block.length + 1;
    this.index++;
    if (this.index >= this.heads.length) {
      this.head = this.block = '';
      this.exhausted = true;
      return;
    }
    this.head = this.heads[this.index];
    this.block = this.blocks[this.index];
  }

  private take(head: string): boolean {
    if (this.head !== head) {
      return false;
    }
    this.noBlock();
    return true;
  }

  private takeKeyword(keyword: string): string | null {
    return this.head.startsWith(keyword) ? this.head.slice(keyword.length) : null;
  }

  private noBlock(): void {
    if (this.block) {
      // (Python strips the head's bytes: ASCII white space only.)
      const what = this.head.replace(/^[ \t\n\r\x0b\x0c]+|[ \t\n\r\x0b\x0c]+$/g, '');
      this.error(`unexpected indented lines after ${stringRepr(what)}`, this.head.length + 1);
    }
    this.nextItem();
  }

  private text(): string {
    const block = this.block;
    const lines: string[] = [];
    if (block) {
      let column = this.head.length + 1;
      for (const raw of block.slice(1).split('\n')) {
        if (raw.startsWith('    ')) {
          lines.push(this.decode(raw.slice(4), column + 4));
        } else if (raw.startsWith('   \\')) {
          const escaped = this.decode(raw.slice(4), column + 4);
          try {
            lines.push(unescapeLine(escaped));
          } catch (error) {
            if (!(error instanceof InvalidEscapeError)) {
              throw error;
            }
            this.error(
              'invalid escape sequence (an escaped line may use \\\\, \\r, \\xHH, \\uHHHH)',
              column + 4 + error.index
            );
          }
        } else {
          lines.push('');
        }
        column += raw.length + 1;
      }
    }
    this.nextItem();
    return lines.join('\n');
  }

  private json(what: string, outer: number): JsonValue {
    const block = this.block;
    const column = this.head.length;
    if (!block) {
      this.error(`expected the JSON value of ${what} on the following lines, indented by 4 spaces`, column);
    }
    const text = this.decode(block, column);
    let value: JsonValue;
    try {
      value = parseJson(text, PARSE_DEPTH);
    } catch (error) {
      if (error instanceof JsonSyntaxError) {
        this.error(`invalid JSON in ${what}: ${error.msg}`, column + error.pos);
      }
      if (error instanceof JsonDigitsError) {
        this.error(`invalid JSON in ${what}: an integer with more than ${MAX_INT_DIGITS} digits`, column + 1);
      }
      if (error instanceof JsonDepthError) {
        this.tooDeep(what, column + 1);
      }
      throw error;
    }
    if (nestsDeeper(value, MAX_NESTING - outer)) {
      this.tooDeep(what, column + 1);
    }
    this.nextItem();
    return value;
  }

  private tooDeep(what: string, column: number): never {
    this.error(`the JSON of ${what} is nested too deeply (a notebook nests at most ${MAX_NESTING} levels)`, column);
  }

  /** Text at *column* of the current item, which must hold no invalid UTF-8. */
  private decode(text: string, column: number): string {
    const start = this.offset + column;
    const invalid = this.invalid.find(position => position >= start && position < start + text.length);
    if (invalid !== undefined) {
      this.errorAt('invalid UTF-8', invalid);
    }
    return text;
  }

  private word(text: string, column: number, what: string): string {
    if (!text) {
      this.error(`expected ${what} after the space`, column);
    }
    return this.decode(text, column);
  }

  private integer(text: string, column: number, pattern: RegExp): number | bigint {
    if (!pattern.test(text)) {
      this.error(`expected an integer, got ${stringRepr(shortened(text))}`, column);
    }
    return this.countFromDigits(text, column);
  }

  private countFromDigits(digits: string, column: number): number | bigint {
    if (digits.replace('-', '').length > MAX_INT_DIGITS) {
      this.error(`an execution count with more than ${MAX_INT_DIGITS} digits`, column);
    }
    const value = Number(digits);
    return Number.isSafeInteger(value) ? (Object.is(value, -0) ? 0 : value) : BigInt(digits);
  }

  // Errors

  private error(msg: string, column = 0, at?: number): never {
    this.errorAt(msg, (at ?? this.offset) + column);
  }

  private errorAt(msg: string, position: number, data: string = this.data ?? this.original): never {
    const conflict = CONFLICT_MARKER.exec(data);
    if (conflict !== null) {
      msg = `unresolved merge conflict (git conflict marker ${stringRepr(conflict[0].slice(0, 7))})`;
      position = conflict.index;
    }
    const lineStart = data.lastIndexOf('\n', position - 1) + 1;
    const lineno = count(data.slice(0, lineStart), '\n') + 1;
    const colno = Array.from(data.slice(lineStart, position)).length + 1;
    throw new ParseError(msg, lineno, colno);
  }

  private unexpected(expected: string, column = 0): never {
    if (this.exhausted) {
      this.error(`expected ${expected}, got the end of the file (is it truncated?)`);
    }
    const head = this.head.slice(column);
    const indent = head.length - head.replace(/^ +/, '').length;
    if (head[indent] === '\t') {
      this.error('tab in indentation; .jupyter files indent with spaces', column + indent);
    }
    this.error(`expected ${expected}, got ${stringRepr(shortened(head))}`, column);
  }

  // Grammar

  notebook(): JsonObject {
    const nb: JsonObject = {};
    let text = this.takeKeyword('nbformat ');
    if (text === null) {
      this.unexpected("'nbformat 4' (a .jupyter file starts with its nbformat version)");
    }
    const version = this.jsonLine(text, 'nbformat '.length, 'nbformat');
    if (!(version === 4 || (version instanceof PyFloat && version.value === 4))) {
      this.error(`unsupported nbformat ${shortened(text)}; only nbformat 4 is supported`, 'nbformat '.length);
    }
    nb['nbformat'] = version;
    this.noBlock();
    const minorOffset = this.offset;
    text = this.takeKeyword('nbformat_minor ');
    if (text !== null) {
      nb['nbformat_minor'] = this.jsonLine(text, 'nbformat_minor '.length, 'nbformat_minor');
      this.noBlock();
    }
    if (this.validate) {
      const problem = minorVersionProblem(nb);
      if (problem !== null) {
        this.error(problem, 0, minorOffset);
      }
      this.schema = schemaFor(nb['nbformat_minor'] as number | bigint);
    }
    const cells: JsonValue[] = [];
    while (!this.head.startsWith('notebook_')) {
      cells.push(this.cell());
    }
    nb['cells'] = cells;
    const extraOffset = this.offset;
    let extraFields: JsonObject = {};
    if (this.head === 'notebook_extra_fields') {
      const value = this.json('notebook_extra_fields', 0);
      this.checkExtraFields(value, cells.length > 0, extraOffset);
      extraFields = value as JsonObject;
      for (const [key, item] of Object.entries(extraFields)) {
        setKey(nb, key, item);
      }
    }
    const metadataOffset = this.offset;
    if (this.head !== 'notebook_metadata') {
      this.unexpected("'notebook_metadata' (the last item of a .jupyter file)");
    }
    nb['metadata'] = this.json('notebook_metadata', 1);
    if (!this.exhausted) {
      this.unexpected('the end of the file after notebook_metadata');
    }
    if (this.schema !== null) {
      const header = { nbformat: nb['nbformat'], nbformat_minor: nb['nbformat_minor'] };
      const checks: [number, JsonObject][] = [
        [minorOffset, { ...header, metadata: {}, cells: [] }],
        [metadataOffset, { ...header, metadata: nb['metadata'], cells: [] }],
        [extraOffset, { ...header, metadata: {}, cells: [], ...extraFields }]
      ];
      for (const [offset, skeleton] of checks) {
        const message = this.schema.notebook(skeleton);
        if (message !== null) {
          this.error(message, 0, offset);
        }
      }
    }
    return nb;
  }

  private jsonLine(text: string, column: number, what: string): JsonValue {
    const source = this.decode(text, column);
    let value: JsonValue;
    try {
      value = parseJson(source, PARSE_DEPTH);
    } catch (error) {
      if (error instanceof JsonSyntaxError) {
        this.error(`expected a JSON value for ${what}, got ${stringRepr(shortened(source))}`, column);
      }
      if (error instanceof JsonDigitsError) {
        this.error(`${what} is an integer with more than ${MAX_INT_DIGITS} digits`, column);
      }
      if (error instanceof JsonDepthError) {
        this.tooDeep(what, column);
      }
      throw error;
    }
    if (nestsDeeper(value, MAX_NESTING - 1)) {
      this.tooDeep(what, column);
    }
    return value;
  }

  private checkExtraFields(extraFields: JsonValue, hasCells: boolean, offset: number): void {
    if (!isPlainObject(extraFields)) {
      this.error('notebook_extra_fields must be a JSON object', 0, offset);
    }
    for (const key of ['nbformat', 'nbformat_minor', 'metadata']) {
      if (hasKey(extraFields, key)) {
        this.error(`notebook_extra_fields must not hold ${stringRepr(key)}`, 0, offset);
      }
    }
    if (hasKey(extraFields, 'cells') && hasCells) {
      this.error("notebook_extra_fields holds 'cells', but the notebook has cells", 0, offset);
    }
  }

  private cell(): JsonValue {
    const head = this.head;
    let cellType: string | null = CELL_TYPES.has(head) ? head : null;
    let cellId: string | null = null;
    if (cellType === null) {
      const space = head.indexOf(' ');
      const name = space < 0 ? head : head.slice(0, space);
      const rest = space < 0 ? '' : head.slice(space + 1);
      cellType = CELL_TYPES.has(name) ? name : null;
      if (cellType !== null && rest.startsWith('id=')) {
        const rawId = rest.slice(3);
        if (!CELL_ID.test(rawId)) {
          this.error("expected a cell id of letters, digits, '-' and '_'", name.length + 1 + 3);
        }
        cellId = rawId;
      } else if (cellType === 'code' && UNSIGNED_INTEGER.test(rest)) {
        // The original format kept the execution count in the cell line.
        this.checkCellId(null, 0);
        return this.codeCell(null, this.countFromDigits(rest, name.length + 1));
      } else if (head === 'cell_json') {
        return this.jsonCell();
      } else if (head.startsWith(' ')) {
        this.unexpected("a cell or 'notebook_metadata' at the start of the line");
      } else {
        this.unexpected("a cell (markdown, code, raw or cell_json) or 'notebook_metadata'");
      }
    }
    this.checkCellId(cellId, cellId === null ? 0 : cellType!.length + 1 + 'id='.length);
    return cellType === 'code' ? this.codeCell(cellId, null) : this.textCell(cellType!, cellId);
  }

  private jsonCell(): JsonValue {
    const offset = this.offset;
    const cell = this.json('cell_json', 2);
    if (this.schema !== null) {
      const message = this.schema.cell(cell);
      if (message !== null) {
        this.error(message, 0, offset);
      }
      if (isPlainObject(cell) && typeof cell['id'] === 'string') {
        // The schema has checked the id itself; only uniqueness is left.
        this.checkUniqueCellId(cell['id'], 0, offset);
      }
    }
    return cell;
  }

  /** The checks of a structured cell's id that nbformat's schema makes (schema.py). */
  private checkCellId(cellId: string | null, column: number): void {
    if (this.schema === null) {
      return;
    }
    const problem = this.schema.cellId(cellId);
    if (problem !== null) {
      this.error(cellId === null ? `${problem}; add ' id=...' to the cell line` : problem, column);
    }
    if (cellId !== null) {
      this.checkUniqueCellId(cellId, column, this.offset);
    }
  }

  private checkUniqueCellId(cellId: string, column: number, offset: number): void {
    const first = this.cellIds.get(cellId);
    if (first === undefined) {
      this.cellIds.set(cellId, offset);
      return;
    }
    const line = count(this.data.slice(0, first), '\n') + 1;
    this.error(`invalid notebook: cell id ${stringRepr(cellId)} is also used on line ${line}`, column, offset);
  }

  private executionCount(text: string, column: number): number | bigint {
    const count = this.integer(text, column, INTEGER);
    const problem = this.schema?.executionCount(count) ?? null;
    if (problem !== null) {
      this.error(problem, column);
    }
    return count;
  }

  private codeCell(cellId: string | null, count: number | bigint | null): JsonObject {
    const source = this.text();
    const text = this.takeKeyword(' execution_count ');
    if (text !== null) {
      if (count !== null) {
        this.error('execution count given twice (in the cell line and here)', 1);
      }
      count = this.executionCount(text, ' execution_count '.length);
      this.noBlock();
    }
    const outputs: JsonValue[] = [];
    while (this.head.startsWith(' ') && this.head !== ' cell_metadata') {
      outputs.push(this.output(count));
    }
    const cell: JsonObject = {
      cell_type: 'code',
      execution_count: count,
      metadata: this.cellMetadata('code'),
      outputs,
      source
    };
    if (cellId !== null) {
      cell['id'] = cellId;
    }
    this.endOfCell("a new cell or 'notebook_metadata' after cell_metadata");
    return cell;
  }

  private textCell(cellType: string, cellId: string | null): JsonObject {
    const cell: JsonObject = { cell_type: cellType, source: this.text() };
    if (cellId !== null) {
      cell['id'] = cellId;
    }
    if (this.take(' attachments {}')) {
      cell['attachments'] = {};
    } else {
      const attachments: JsonObject = {};
      let found = false;
      for (let name = this.takeKeyword(' attachment '); name !== null; name = this.takeKeyword(' attachment ')) {
        const key = this.word(name, ' attachment '.length, 'an attachment name');
        if (hasKey(attachments, key)) {
          this.error(`attachment ${stringRepr(key)} given twice`, ' attachment '.length);
        }
        this.noBlock();
        setKey(attachments, key, this.mimeBundle(5));
        found = true;
      }
      if (found) {
        cell['attachments'] = attachments;
      }
    }
    const metadata = this.cellMetadata(cellType);
    cell['metadata'] = metadata;
    this.endOfCell(
      truthy(metadata)
        ? "a new cell or 'notebook_metadata' after cell_metadata"
        : "an attachment, cell_metadata, a new cell or 'notebook_metadata'"
    );
    return cell;
  }

  private cellMetadata(cellType: string): JsonValue {
    if (this.head !== ' cell_metadata') {
      return {};
    }
    const offset = this.offset;
    const metadata = this.json('cell_metadata', 3);
    const message = this.schema?.cellMetadata(cellType, metadata) ?? null;
    if (message !== null) {
      this.error(message, 1, offset);
    }
    return metadata;
  }

  private endOfCell(expected: string): void {
    if (this.head.startsWith(' ')) {
      this.unexpected(expected);
    }
  }

  private output(cellCount: number | bigint | null): JsonValue {
    const head = this.head;
    const name = this.takeKeyword(' stream ');
    if (name !== null) {
      const streamName = this.word(name, ' stream '.length, 'a stream name');
      return { output_type: 'stream', name: streamName, text: this.text() };
    }
    if (head === ' display_data') {
      this.noBlock();
      return this.richOutput('display_data', null);
    }
    if (head === ' execute_result') {
      this.noBlock();
      return this.richOutput('execute_result', cellCount);
    }
    const countText = this.takeKeyword(' execute_result ');
    if (countText !== null) {
      const count = this.executionCount(countText, ' execute_result '.length);
      this.noBlock();
      return this.richOutput('execute_result', count);
    }
    if (head === ' error') {
      return this.errorOutput('');
    }
    const ename = this.takeKeyword(' error ');
    if (ename !== null) {
      return this.errorOutput(this.word(ename, ' error '.length, 'an error name'));
    }
    if (head === ' output_json') {
      const offset = this.offset;
      const output = this.json('output_json', 4);
      const message = this.schema?.output(output) ?? null;
      if (message !== null) {
        this.error(message, 1, offset);
      }
      return output;
    }
    if (head.startsWith('  ')) {
      this.unexpected('an output or cell_metadata, indented by 1 space');
    }
    return this.unexpected(
      'an output type (stream, display_data, execute_result, error, output_json) or cell_metadata',
      1
    );
  }

  private richOutput(outputType: string, count: number | bigint | null): JsonObject {
    const output: JsonObject = { output_type: outputType, data: this.mimeBundle(6) };
    if (outputType === 'execute_result') {
      output['execution_count'] = count;
    }
    if (this.head === '  output_metadata') {
      const offset = this.offset;
      const metadata = this.json('output_metadata', 5);
      const problem = this.schema?.outputMetadata(metadata) ?? null;
      if (problem !== null) {
        this.error(problem, 2, offset);
      }
      output['metadata'] = metadata;
    } else {
      output['metadata'] = {};
    }
    return output;
  }

  private errorOutput(ename: string): JsonObject {
    const evalue = this.text();
    const frames: JsonValue[] = [];
    if (this.head === '  traceback') {
      frames.push(this.text());
      while ((this.head as string) === '   -') {
        frames.push(this.text());
      }
    }
    return { output_type: 'error', ename, evalue, traceback: frames };
  }

  private mimeBundle(outer: number): JsonObject {
    const bundle: JsonObject = {};
    while (this.head.startsWith('   ')) {
      const mimeType = this.word(this.head.slice(3), 3, 'a MIME type');
      if (hasKey(bundle, mimeType)) {
        this.error(`MIME type ${stringRepr(mimeType)} given twice`, 3);
      }
      setKey(bundle, mimeType, isJsonMimeType(mimeType) ? this.json(mimeType, outer) : this.text());
    }
    return bundle;
  }
}

function crlfBefore(data: string): (position: number) => number {
  const crs: number[] = [];
  for (let index = data.indexOf('\r\n'); index >= 0; index = data.indexOf('\r\n', index + 2)) {
    crs.push(index);
  }
  return position => crs.filter(cr => cr < position).length;
}
