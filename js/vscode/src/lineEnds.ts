// VS Code's text models end every line of a cell alike: a source that mixes
// line ends (CRLF beside LF, a lone CR) comes back from the editor with one
// kind, though the user never touched it.  A source the editor has only
// normalized is the source as it was read.
import type { JsonObject, JsonValue } from '@jupyter-format/format';

const LINE_END = /\r\n?/g;

/** Whether VS Code may hand back *source* with other line ends. */
export function mayLoseLineEnds(source: string): boolean {
  return source.includes('\r');
}

/** *original* if *edited* is it with line ends changed and nothing else; else *edited*. */
export function withOriginalLineEnds(edited: string, original: JsonValue | undefined): string {
  if (typeof original !== 'string' || original === edited || !mayLoseLineEnds(original)) {
    return edited;
  }
  return original.replace(LINE_END, '\n') === edited.replace(LINE_END, '\n') ? original : edited;
}

/**
 * Gives the cells of *edited* whose sources differ from the same cell's in
 * *original* (the same id) only in line ends the original source back.
 */
export function keepLineEnds(edited: JsonObject, original: JsonObject): void {
  const before = new Map<JsonValue, JsonValue>();
  for (const cell of cellsOf(original)) {
    if (typeof cell['id'] === 'string') {
      before.set(cell['id'], cell['source']);
    }
  }
  for (const cell of cellsOf(edited)) {
    if (typeof cell['source'] === 'string' && before.has(cell['id'])) {
      cell['source'] = withOriginalLineEnds(cell['source'], before.get(cell['id']));
    }
  }
}

function cellsOf(nb: JsonObject): JsonObject[] {
  const cells = nb['cells'];
  return Array.isArray(cells)
    ? cells.filter((cell): cell is JsonObject => typeof cell === 'object' && cell !== null && !Array.isArray(cell))
    : [];
}
