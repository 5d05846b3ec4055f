/**
 * The conflict view (the spec's "The conflict view"): a conflicted notebook
 * as a notebook that shows both sides, and back to what to write.
 *
 * The cells both sides share appear once; at each place where they differ,
 * the versions of both, between three notes (`<<<<<<< ours`, `=======`,
 * `>>>>>>> end`).  Each cell of a conflict carries a mark in its metadata.
 * A person resolves a conflict by deleting the cells of the version they do
 * not keep, or the `=======` note to keep both; `resolution` then gives the
 * notebook, or, while a conflict is unresolved, both sides' text between
 * conflict markers again, so that an unresolved conflict never becomes a
 * clean file.
 */

import { conflictSides, DEFAULT_MARKER_SIZE, withConflictMarkers } from './conflicts';
import { encodeBlock, encodeLine, isPlainObject, JsonDigitsError, JsonSyntaxError, type JsonObject, type JsonValue, parseJson } from './json';
import { deserialize, ParseError } from './reader';
import { opcodes } from './sequence';
import { serialize } from './writer';

/** The cell metadata key of the marks; a notebook holding one is a conflict view. */
export const MARK = 'jupyter_format_conflict';

const OURS = 'ours';
const THEIRS = 'theirs';
type Side = typeof OURS | typeof THEIRS;
const CELL = 'cell';
const EMPTY = 'empty';
const METADATA = 'metadata';
const START = 'start';
const SEPARATOR = 'separator';
const END = 'end';
const ROLES = new Set([CELL, EMPTY, METADATA, START, SEPARATOR, END]);
const SIDE_ROLES = new Set([CELL, EMPTY, METADATA]);
/** nbformat's limit on the length of a cell id. */
const MAX_ID_LENGTH = 64;

/**
 * The conflict view of conflicted `.jupyter` text; null if it has no markers.
 * Throws ParseError if the markers do not pair up, a side does not parse (at
 * its line in the conflicted text), or the sides cannot be shown together.
 */
export function conflictView(data: string | Uint8Array, options: { validate?: boolean } = {}): JsonObject | null {
  let text: string;
  try {
    text = typeof data === 'string' ? data : new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return null; // not UTF-8: the plain reader's error says where
  }
  const sides = conflictSides(text);
  if (sides === null) {
    return null;
  }
  const validate = options.validate ?? false;
  const ours = readSide(sides.ours, sides.oursLines, OURS, validate);
  const theirs = readSide(sides.theirs, sides.theirsLines, THEIRS, validate);
  const [major, minor] = [pyStr(ours['nbformat']), pyStr(ours['nbformat_minor'])];
  const [theirMajor, theirMinor] = [pyStr(theirs['nbformat']), pyStr(theirs['nbformat_minor'])];
  if (encodeLine([ours['nbformat'] ?? null, ours['nbformat_minor'] ?? null]) !== encodeLine([theirs['nbformat'] ?? null, theirs['nbformat_minor'] ?? null])) {
    throw new ParseError(
      `the two sides of the merge conflict are of different nbformat versions (${major}.${minor} and ${theirMajor}.${theirMinor}): resolve it in a text editor`,
      sides.firstMarker,
      1
    );
  }
  if (encodeLine(topLevel(ours)) !== encodeLine(topLevel(theirs))) {
    throw new ParseError(
      'the two sides of the merge conflict differ in fields other than cells and metadata: resolve it in a text editor',
      sides.firstMarker,
      1
    );
  }
  checkMarkable(ours, OURS, sides.firstMarker);
  checkMarkable(theirs, THEIRS, sides.firstMarker);
  return new ViewBuilder(ours, theirs, sides.markerSize).view();
}

/** The conflict view of *data*, which failed to read with *error*; or *error* again. */
export function viewInstead(data: string | Uint8Array, error: ParseError, options: { validate?: boolean } = {}): JsonObject {
  const view = conflictView(data, options);
  if (view === null) {
    throw error;
  }
  return view;
}

function pyStr(value: JsonValue | undefined): string {
  return value === undefined || value === null ? 'None' : String(value);
}

function topLevel(nb: JsonObject): JsonObject {
  const rest: JsonObject = {};
  for (const key of Object.keys(nb)) {
    if (key !== 'cells' && key !== 'metadata') {
      rest[key] = nb[key];
    }
  }
  return rest;
}

function checkMarkable(nb: JsonObject, side: Side, line: number): void {
  const cells = nb['cells'];
  if (!Array.isArray(cells)) {
    throw new ParseError(
      `the cells of ${side}' side of the merge conflict are not a list: resolve the conflict in a text editor`,
      line,
      1
    );
  }
  cells.forEach((cell, index) => {
    const number = index + 1;
    if (!(isPlainObject(cell) && isPlainObject(cell['metadata']))) {
      throw new ParseError(
        `cell ${number} of ${side}' side of the merge conflict has no metadata to mark it with: resolve the conflict in a text editor`,
        line,
        1
      );
    }
    if (Object.prototype.hasOwnProperty.call(cell['metadata'], MARK)) {
      // A view saved by a tool that did not resolve it: its marks would mislead.
      throw new ParseError(
        `cell ${number} of ${side}' side of the merge conflict holds the marks of an earlier conflict view: resolve the conflict in a text editor`,
        line,
        1
      );
    }
  });
}

function readSide(text: string, lines: number[], side: Side, validate: boolean): JsonObject {
  try {
    return deserialize(text, { validate });
  } catch (error) {
    if (!(error instanceof ParseError)) {
      throw error;
    }
    // Line numbers of the side's text, told as lines of the conflicted file.
    const line =
      error.lineno > 0 && error.lineno <= lines.length ? lines[error.lineno - 1] : (lines[lines.length - 1] ?? 0) + 1;
    throw new ParseError(`${error.msg} (in ${side}' side of a merge conflict)`, line, error.colno);
  }
}

function copyJson<T extends JsonValue>(value: T): T {
  return parseJson(encodeLine(value)) as T;
}

function newCell(cellType: string, source: string): JsonObject {
  return { cell_type: cellType, metadata: {}, source };
}

class ViewBuilder {
  private readonly usesIds: boolean;
  private readonly usedIds: Set<string>;
  private readonly metadataDiffers: boolean;
  private readonly codes: ReturnType<typeof opcodes>;
  private readonly groups: number;
  private readonly oursCells: JsonObject[];
  private readonly theirsCells: JsonObject[];

  constructor(
    private readonly ours: JsonObject,
    private readonly theirs: JsonObject,
    private readonly markerSize: number
  ) {
    this.oursCells = ours['cells'] as JsonObject[];
    this.theirsCells = theirs['cells'] as JsonObject[];
    const minor = ours['nbformat_minor'];
    this.usesIds =
      (typeof minor === 'number' && Number.isInteger(minor) && minor >= 5) ||
      (typeof minor === 'bigint' && minor >= 5n) ||
      [...this.oursCells, ...this.theirsCells].some(cell => Object.prototype.hasOwnProperty.call(cell, 'id'));
    this.usedIds = new Set(this.oursCells.map(cell => cell['id']).filter((id): id is string => typeof id === 'string'));
    this.metadataDiffers = encodeLine(ours['metadata'] ?? null) !== encodeLine(theirs['metadata'] ?? null);
    this.codes = opcodes(this.oursCells.map(cell => encodeLine(cell)), this.theirsCells.map(cell => encodeLine(cell)));
    this.groups = Number(this.metadataDiffers) + this.codes.filter(([tag]) => tag !== 'equal').length;
  }

  view(): JsonObject {
    const cells: JsonObject[] = [];
    let group = 0;
    if (this.metadataDiffers) {
      group++;
      cells.push(...this.conflict(group, [this.ours['metadata']!], [this.theirs['metadata']!], METADATA));
    }
    for (const [tag, oursStart, oursEnd, theirsStart, theirsEnd] of this.codes) {
      if (tag === 'equal') {
        cells.push(...this.oursCells.slice(oursStart, oursEnd));
        continue;
      }
      group++;
      cells.push(
        ...this.conflict(group, this.oursCells.slice(oursStart, oursEnd), this.theirsCells.slice(theirsStart, theirsEnd), CELL)
      );
    }
    return { ...this.ours, cells };
  }

  private conflict(group: number, ours: JsonValue[], theirs: JsonValue[], role: string): JsonObject[] {
    const about = role === METADATA ? METADATA : '';
    const start = this.note(START, group, about);
    if (this.markerSize !== DEFAULT_MARKER_SIZE) {
      markIn(start)['marker_size'] = this.markerSize;
    }
    return [
      start,
      ...this.side(OURS, group, ours, role),
      this.note(SEPARATOR, group, about),
      ...this.side(THEIRS, group, theirs, role),
      this.note(END, group, about)
    ];
  }

  private side(side: Side, group: number, items: JsonValue[], role: string): JsonObject[] {
    if (role === METADATA) {
      const text = encodeBlock(items[0], '').slice(0, -1);
      const cell = this.marked(newCell('raw', text), group, side, METADATA);
      // What the view's own metadata started as, to tell what changed in it since.
      markIn(cell)['view_metadata'] = copyJson(this.ours['metadata']!);
      return [cell];
    }
    if (!items.length) {
      return [this.marked(newCell('markdown', noteText(EMPTY, group, this.groups, side)), group, side, EMPTY)];
    }
    return items.map(cell => this.marked(cell as JsonObject, group, side, CELL));
  }

  private note(role: string, group: number, about: string): JsonObject {
    const note = this.marked(newCell('markdown', noteText(role, group, this.groups, '', about)), group, '', role);
    if (about) {
      markIn(note)['about'] = about;
    }
    return note;
  }

  private marked(cell: JsonObject, group: number, side: string, role: string): JsonObject {
    const marked: JsonObject = { ...cell, metadata: { ...(cell['metadata'] as JsonObject) } };
    const mark: JsonObject = { conflict: group, of: this.groups, role };
    if (side) {
      mark['side'] = side;
    }
    const id = cell['id'];
    if (role === CELL && typeof id === 'string') {
      mark['id'] = id;
      if (side === THEIRS && this.usedIds.has(id)) {
        // Both versions of a cell share its id, which a notebook may hold once.
        marked['id'] = this.uniqueId(`${id}-theirs`);
      } else {
        this.usedIds.add(id);
      }
    } else if (role !== CELL) {
      delete marked['id'];
      if (this.usesIds) {
        marked['id'] = this.uniqueId(`merge-conflict-${group}-${role}` + (side ? `-${side}` : ''));
      }
    }
    (marked['metadata'] as JsonObject)[MARK] = mark;
    return marked;
  }

  private uniqueId(wanted: string): string {
    const stem = [...wanted].slice(0, MAX_ID_LENGTH).join('');
    let candidate = stem;
    for (let twin = 2; this.usedIds.has(candidate); twin++) {
      const suffix = `-${twin}`;
      candidate = [...stem].slice(0, MAX_ID_LENGTH - suffix.length).join('') + suffix;
    }
    this.usedIds.add(candidate);
    return candidate;
  }
}

function markIn(cell: JsonObject): JsonObject {
  return (cell['metadata'] as JsonObject)[MARK] as JsonObject;
}

/** The text of a note (or placeholder) of the view, which its marks determine. */
export function noteText(role: string, group: JsonValue, groups: JsonValue, side = '', about = ''): string {
  const which = `merge conflict ${pyStr(group)} of ${pyStr(groups)}`;
  if (role === START && about === METADATA) {
    return (
      `**\`<<<<<<< ours\`: ${which}, in the notebook's metadata.** The raw cell after ` +
      'this note holds *ours* (the branch you merged into), the one after the ' +
      '`=======` note *theirs* (the branch merged in), as JSON.\n\n' +
      "To resolve: delete the cell of the version you do not keep (edit the other's " +
      'JSON as you like), then save. Until then, saving keeps the conflict in the file.'
    );
  }
  if (role === START) {
    return (
      `**\`<<<<<<< ours\`: ${which}.** The cells from here to the \`=======\` note are ` +
      '*ours* (the branch you merged into); the cells after it, up to the `>>>>>>>` ' +
      'note, are *theirs* (the branch merged in).\n\n' +
      'To resolve: delete the cells of the version you do not keep (edit the other as ' +
      'you like), or delete the `=======` note to keep both, then save. Until then, ' +
      'saving keeps the conflict in the file. Once it is resolved, saving writes the ' +
      'notebook without these notes; they are gone when you open it again.'
    );
  }
  if (role === SEPARATOR) {
    return `**\`=======\`: ${which}.** The cells from here to the next note are *theirs*.`;
  }
  if (role === END) {
    return `**\`>>>>>>> theirs\`: end of ${which}.**`;
  }
  const name = side.charAt(0).toUpperCase() + side.slice(1).toLowerCase();
  return (
    `*${name} has no cells here (${which}).* Delete this cell to keep ` +
    "the other side's cells; delete the other side's cells to keep none."
  );
}

function isInteger(value: JsonValue | undefined): boolean {
  return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
}

/** The conflict view's mark of *cell*, if it has a well-formed one. */
export function markOf(cell: JsonValue): JsonObject | null {
  const metadata = isPlainObject(cell) ? cell['metadata'] : undefined;
  const mark = isPlainObject(metadata) ? metadata[MARK] : undefined;
  if (!isPlainObject(mark)) {
    return null;
  }
  const { conflict, role, side } = mark;
  if (!isInteger(conflict) || typeof role !== 'string' || !ROLES.has(role)) {
    return null;
  }
  if ((side === OURS || side === THEIRS) !== SIDE_ROLES.has(role)) {
    return null;
  }
  return mark;
}

/** The numbers (from 1) of the cells of *nb* that carry the marks of a conflict view. */
export function markedCells(nb: JsonValue): number[] {
  const cells = isPlainObject(nb) ? nb['cells'] : undefined;
  if (!Array.isArray(cells)) {
    return [];
  }
  return cells.flatMap((cell, index) =>
    isPlainObject(cell) && isPlainObject(cell['metadata']) && Object.prototype.hasOwnProperty.call(cell['metadata'], MARK)
      ? [index + 1]
      : []
  );
}

/** What a conflict view becomes in a file: the notebook once every conflict is resolved, else conflicted text. */
export interface Resolution {
  conflicts: number;
  notebook?: JsonObject;
  text?: string;
}

interface Entry {
  cell: JsonValue;
  mark: JsonObject | null;
  position: number;
}

const conflictOf = (entry: Entry): string | null => (entry.mark === null ? null : String(entry.mark['conflict']));
const roleOf = (entry: Entry): string | null => (entry.mark === null ? null : (entry.mark['role'] as string));

/**
 * Turns a conflict view, as a person may have edited it, into what to write.
 * Throws ParseError if the notebook metadata kept in a conflict is not JSON
 * (its raw cell was edited); the position is in that cell.
 */
export function resolution(view: JsonObject): Resolution {
  const all = entries(view);
  const sidesLeft = new Map<string, Set<string>>();
  const separated = new Set<string>();
  for (const entry of all) {
    const role = roleOf(entry);
    const conflict = conflictOf(entry)!;
    if (role !== null && SIDE_ROLES.has(role)) {
      const sides = sidesLeft.get(conflict) ?? new Set<string>();
      sides.add(entry.mark!['side'] as string);
      sidesLeft.set(conflict, sides);
    }
    if (role === SEPARATOR || role === METADATA) {
      // Without its ======= note, a conflict keeps both versions' cells;
      // a notebook has one metadata, so a metadata conflict has no such choice.
      separated.add(conflict);
    }
  }
  const unresolved = new Set(
    [...sidesLeft].filter(([group, sides]) => sides.has(OURS) && sides.has(THEIRS) && separated.has(group)).map(([group]) => group)
  );
  // git asks for longer markers where the text holds lines like them.
  const sizes = all
    .filter(entry => entry.mark !== null && roleOf(entry) === START)
    .map(entry => entry.mark!['marker_size'])
    .filter(isInteger)
    .map(size => Number(size));
  const markerSize = Math.min(Math.max(sizes.length ? Math.max(...sizes) : DEFAULT_MARKER_SIZE, DEFAULT_MARKER_SIZE), 100);
  if (!unresolved.size) {
    return { conflicts: 0, notebook: sideNotebook(view, all, OURS, unresolved) };
  }
  const oursNb = sideNotebook(view, all, OURS, unresolved);
  const ours = serialize(oursNb);
  const theirs = serialize(sideNotebook(view, all, THEIRS, unresolved));
  if (ours === theirs) {
    return { conflicts: 0, notebook: oursNb }; // both versions edited into one
  }
  return { conflicts: unresolved.size, text: withConflictMarkers(ours, theirs, markerSize)[0] };
}

/**
 * The view's cells without their marks, each with the mark that still holds.
 * A side's cell belongs to its conflict where it stands between that
 * conflict's first and last notes; one copied elsewhere is an ordinary cell.
 */
function entries(view: JsonObject): Entry[] {
  const cells = view['cells'];
  const result: Entry[] = (Array.isArray(cells) ? cells : []).map((cell, position) => ({
    cell: unmarked(cell),
    mark: markOf(cell),
    position
  }));
  const bounds = new Map<string, number[]>();
  for (const entry of result) {
    const role = roleOf(entry);
    if (role === START || role === END) {
      const where = bounds.get(conflictOf(entry)!) ?? [];
      where.push(entry.position);
      bounds.set(conflictOf(entry)!, where);
    }
  }
  for (const entry of result) {
    const role = roleOf(entry);
    const where = role !== null && SIDE_ROLES.has(role) ? bounds.get(conflictOf(entry)!) : undefined;
    if (where !== undefined && where.length === 2 && !(Math.min(...where) < entry.position && entry.position < Math.max(...where))) {
      entry.mark = null;
    }
  }
  return result;
}

function sideNotebook(view: JsonObject, all: Entry[], side: Side, unresolved: Set<string>): JsonObject {
  const kept: Entry[] = [];
  let metadata: JsonValue = view['metadata'] ?? {};
  for (const entry of all) {
    const role = roleOf(entry);
    const mark = entry.mark;
    if (mark !== null && SIDE_ROLES.has(role!)) {
      if (unresolved.has(conflictOf(entry)!) && mark['side'] !== side) {
        continue;
      }
      if (role === METADATA) {
        metadata = metadataFrom(entry, view);
        continue;
      }
    }
    if (mark === null || role === CELL || edited(entry)) {
      // A note or placeholder a person wrote in is kept as theirs to delete.
      kept.push(role === CELL ? entry : { cell: entry.cell, mark: null, position: 0 });
    }
  }
  restoreIds(kept);
  return { ...view, metadata, cells: kept.map(entry => entry.cell) };
}

function edited(entry: Entry): boolean {
  const mark = entry.mark!;
  const expected = noteText(
    mark['role'] as string,
    mark['conflict'],
    mark['of'] ?? 0,
    typeof mark['side'] === 'string' ? mark['side'] : '',
    typeof mark['about'] === 'string' ? mark['about'] : ''
  );
  return !isPlainObject(entry.cell) || entry.cell['source'] !== expected;
}

function metadataFrom(entry: Entry, view: JsonObject): JsonValue {
  const cell = isPlainObject(entry.cell) ? entry.cell : {};
  let source = cell['source'] ?? '';
  if (Array.isArray(source) && source.every(line => typeof line === 'string')) {
    source = source.join('');
  }
  const where = `the notebook metadata kept in cell ${entry.position + 1}`;
  if (typeof source !== 'string') {
    throw new ParseError(`${where} is not text`, 1, 1);
  }
  let kept: JsonValue;
  try {
    kept = parseJson(source);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      const before = source.slice(0, error.pos);
      const line = before.split('\n').length;
      throw new ParseError(`${where} is not JSON: ${error.msg}`, line, error.pos - before.lastIndexOf('\n'));
    }
    if (error instanceof JsonDigitsError) {
      throw new ParseError(`${where} is not JSON: an integer with too many digits`, 1, 1);
    }
    throw error;
  }
  // What changed in the view's own metadata meanwhile (the kernel's language_info,
  // an edit in the metadata editor) applies to the kept version too.
  const started = entry.mark!['view_metadata'];
  const now = view['metadata'];
  if (!(isPlainObject(kept) && isPlainObject(started) && isPlainObject(now))) {
    return kept;
  }
  const changed: JsonObject = { ...kept };
  for (const key of new Set([...Object.keys(started), ...Object.keys(now)])) {
    if (!Object.prototype.hasOwnProperty.call(now, key)) {
      delete changed[key];
    } else if (!Object.prototype.hasOwnProperty.call(started, key) || encodeLine(now[key]) !== encodeLine(started[key])) {
      changed[key] = now[key];
    }
  }
  return changed;
}

function unmarked(cell: JsonValue): JsonValue {
  if (!isPlainObject(cell) || !isPlainObject(cell['metadata']) || !Object.prototype.hasOwnProperty.call(cell['metadata'], MARK)) {
    return cell;
  }
  const metadata: JsonObject = { ...cell['metadata'] };
  delete metadata[MARK];
  return { ...cell, metadata };
}

/**
 * Gives cells back the ids they had before the view renamed one of two
 * versions, unless a kept cell of the other side, or one that is no version
 * of a conflicting cell, holds it.
 */
function restoreIds(kept: Entry[]): void {
  const cells = kept.filter(entry => isPlainObject(entry.cell));
  const versionOf = (entry: Entry): JsonValue | undefined => entry.mark?.['id'];
  const holders = new Map<string, Set<string | null>>();
  for (const entry of cells) {
    const id = (entry.cell as JsonObject)['id'];
    if (typeof id === 'string') {
      const side = versionOf(entry) === id ? (entry.mark!['side'] as string) : null;
      holders.set(id, (holders.get(id) ?? new Set()).add(side));
    }
  }
  for (const entry of cells) {
    const wanted = versionOf(entry);
    const side = entry.mark === null ? null : (entry.mark['side'] as string);
    const cell = entry.cell as JsonObject;
    if (typeof wanted !== 'string' || cell['id'] === wanted) {
      continue;
    }
    const holding = holders.get(wanted) ?? new Set<string | null>();
    if ([...holding].every(holder => holder === side)) {
      cell['id'] = wanted;
      holders.set(wanted, holding.add(side));
    }
  }
}
