/**
 * Notebooks as `.ipynb` JSON, the way nbformat reads and writes them: sources
 * and texts as lists of lines on disk, strings in memory.
 */

import { isJsonMimeType } from './grammar';
import { encodeBlock, hasKey, isPlainObject, type JsonObject, type JsonValue, parseJson, setKey } from './json';

/** What Python's `str.splitlines()` ends a line at. */
const LINE_END = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
const NEWLINE = /\n/g;
/** MIME types that are not `text/*` whose strings nbformat splits into lines. */
const SPLIT_MIME_TYPES = new Set(['application/javascript', 'image/svg+xml']);

/**
 * Where `ipynbText` ends the lines of sources and texts: `'splitlines'` where
 * Python's `str.splitlines()` does, as nbformat writes; `'newline'` only after
 * `\n`, as JupyterLab writes, and as VS Code's ipynb reader needs (it ends
 * every line but the last with a `\n` of its own, so a line ending in `\r` or
 * a form feed would gain one).
 */
export type LineSplit = 'splitlines' | 'newline';

/** The notebook as `.ipynb` text; with `'splitlines'`, the bytes `nbformat.write` writes. */
export function ipynbText(nb: JsonObject, split: LineSplit = 'splitlines'): string {
  const lineEnd = split === 'splitlines' ? LINE_END : NEWLINE;
  const toLines = (value: JsonValue): JsonValue => splitLines(value, lineEnd);
  const copy = copyJson(nb);
  forEachText(copy, toLines, (mimeType, value) =>
    typeof value === 'string' && (mimeType.startsWith('text/') || SPLIT_MIME_TYPES.has(mimeType))
      ? toLines(value)
      : value
  );
  return encodeBlock(copy, '');
}

/** The notebook of `.ipynb` text (nbformat 4), as `nbformat.reads` gives it. */
export function fromIpynbText(text: string): JsonObject {
  const nb = parseJson(text) as JsonObject;
  forEachText(nb, joinLines, (mimeType, value) =>
    !isJsonMimeType(mimeType) && Array.isArray(value) && value.every(line => typeof line === 'string')
      ? joinLines(value)
      : value
  );
  return nb;
}

function splitLines(value: JsonValue, lineEnd: RegExp): JsonValue {
  return typeof value === 'string' ? splitlines(value, lineEnd) : value;
}

/** The lines of *text* with their ends, as Python's `text.splitlines(keepends=True)` gives them. */
export function splitlines(value: string, lineEnd: RegExp = LINE_END): string[] {
  const lines: string[] = [];
  let start = 0;
  for (const match of value.matchAll(lineEnd)) {
    const end = match.index! + match[0].length;
    lines.push(value.slice(start, end));
    start = end;
  }
  if (start < value.length) {
    lines.push(value.slice(start));
  }
  return lines;
}

function joinLines(value: JsonValue): JsonValue {
  return Array.isArray(value) && value.every(line => typeof line === 'string') ? value.join('') : value;
}

/** Applies *text* to cells' sources and streams' texts, *bundle* to MIME bundles' values. */
function forEachText(
  nb: JsonObject,
  text: (value: JsonValue) => JsonValue,
  bundle: (mimeType: string, value: JsonValue) => JsonValue
): void {
  const mapBundle = (data: JsonValue | undefined): void => {
    if (isObject(data)) {
      for (const mimeType of Object.keys(data)) {
        setKey(data, mimeType, bundle(mimeType, data[mimeType]));
      }
    }
  };
  for (const cell of Array.isArray(nb['cells']) ? nb['cells'] : []) {
    if (!isObject(cell)) {
      continue;
    }
    if (hasKey(cell, 'source')) {
      cell['source'] = text(cell['source']);
    }
    const attachments = cell['attachments'];
    if (isObject(attachments)) {
      Object.values(attachments).forEach(mapBundle);
    }
    if (cell['cell_type'] !== 'code' || !Array.isArray(cell['outputs'])) {
      continue;
    }
    for (const output of cell['outputs']) {
      if (!isObject(output)) {
        continue;
      }
      const type = output['output_type'];
      if (type === 'execute_result' || type === 'display_data') {
        mapBundle(output['data']);
      } else if (type === 'stream' && hasKey(output, 'text')) {
        output['text'] = text(output['text']);
      }
    }
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return isPlainObject(value);
}

function copyJson<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(copyJson) as T;
  }
  if (isObject(value)) {
    const copy: JsonObject = {};
    for (const key of Object.keys(value)) {
      setKey(copy, key, copyJson(value[key]));
    }
    return copy as T;
  }
  return value;
}
