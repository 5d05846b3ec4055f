// nbformat notebooks to VS Code's NotebookData and back, losslessly.
//
// What VS Code shows (cell kinds and sources, outputs as MIME items, execution
// counts) comes from the notebook; everything else a cell, an output or the
// notebook holds travels beside it as JSON text in their `metadata`, so that
// JSON VS Code cannot carry (integers beyond 2**53, floats written as 1.0)
// comes back exactly as it was read.
import * as vscode from 'vscode';
import { canonicalJson, type JsonObject, type JsonValue, parseJson } from '@jupyter-format/format';
import { createHash } from 'node:crypto';
import { mayLoseLineEnds, withOriginalLineEnds } from './lineEnds';

/** The metadata key holding a cell's, an output's or the notebook's other JSON. */
export const KEY = 'jupyterFormat';
/** The cell metadata key listing the fields of SHOWN_FIELDS that the cell lacks. */
const ABSENT = 'jupyterFormatAbsent';
const SHOWN_FIELDS = ['source', 'outputs', 'execution_count'];

const STDOUT = 'application/vnd.code.notebook.stdout';
const STDERR = 'application/vnd.code.notebook.stderr';
const ERROR = 'application/vnd.code.notebook.error';
const RAW_LANGUAGE = 'raw';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toNotebookData(nb: JsonObject): vscode.NotebookData {
  const { cells, ...rest } = nb;
  const language = notebookLanguage(nb);
  const data = new vscode.NotebookData((cells as JsonObject[]).map(cell => toCellData(cell, language)));
  data.metadata = { [KEY]: canonicalJson(rest) };
  return data;
}

export function fromNotebookData(data: vscode.NotebookData): JsonObject {
  const nb = parseJson(String(data.metadata?.[KEY] ?? '{"metadata": {}, "nbformat": 4, "nbformat_minor": 5}')) as JsonObject;
  const cells = data.cells.map(fromCellData);
  if (usesIds(nb, cells)) {
    giveUniqueIds(
      cells,
      data.cells.map(cell => typeof cell.metadata?.[KEY] !== 'string')
    );
  }
  nb['cells'] = cells;
  return nb;
}

/** Whether cells of the notebook carry ids: from nbformat 4.5 on, or where any does. */
export function usesIds(nb: JsonObject, cells: JsonObject[]): boolean {
  const minor = nb['nbformat_minor'];
  return (typeof minor === 'number' && minor >= 5) || cells.some(cell => typeof cell['id'] === 'string');
}

function notebookLanguage(nb: JsonObject): string {
  const metadata = nb['metadata'] as JsonObject | undefined;
  for (const [field, key] of [['kernelspec', 'language'], ['language_info', 'name']]) {
    const value = (metadata?.[field] as JsonObject | undefined)?.[key];
    if (typeof value === 'string' && value !== '') {
      return value;
    }
  }
  return 'python';
}

/** How VS Code shows a cell type: nbformat's three, and any other (a future one) as raw. */
function shownType(cellType: JsonValue | undefined): 'markdown' | 'code' | 'raw' {
  return cellType === 'markdown' || cellType === 'code' ? cellType : 'raw';
}

function toCellData(cell: JsonObject, language: string): vscode.NotebookCellData {
  const type = shownType(cell['cell_type']);
  // What VS Code shows is taken out; the rest rides along as JSON.
  const rest: JsonObject = { ...cell };
  const text = joined(rest['source']);
  delete rest['source'];
  const attachments = rest['attachments'];
  delete rest['attachments'];
  const outputs = type === 'code' ? rest['outputs'] : undefined;
  const count = type === 'code' ? rest['execution_count'] : undefined;
  if (type === 'code') {
    delete rest['outputs'];
    delete rest['execution_count'];
  }
  // Fields VS Code always shows that the cell lacks (an invalid notebook's) stay absent.
  const absent = SHOWN_FIELDS.filter(field => !(field in cell) && (field === 'source' || type === 'code'));
  const data =
    type === 'markdown'
      ? new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, text, 'markdown')
      : new vscode.NotebookCellData(vscode.NotebookCellKind.Code, text, type === 'code' ? language : RAW_LANGUAGE);
  // The source itself rides along only where the editor may change its line ends.
  const kept = mayLoseLineEnds(text) ? { ...rest, source: text } : rest;
  const metadata: { [key: string]: unknown } = { [KEY]: canonicalJson(kept) };
  if (attachments !== undefined) {
    // Under this key VS Code's markdown renderer shows `attachment:` images.
    metadata['attachments'] = attachments;
  }
  if (absent.length) {
    metadata[ABSENT] = absent;
  }
  data.metadata = metadata;
  if (type === 'code') {
    data.outputs = (Array.isArray(outputs) ? (outputs as JsonObject[]) : []).map(toCellOutput);
    if (typeof count === 'number') {
      data.executionSummary = { executionOrder: count };
    }
  }
  return data;
}

function fromCellData(data: vscode.NotebookCellData): JsonObject {
  const stored = data.metadata?.[KEY];
  const cell = (typeof stored === 'string' ? parseJson(stored) : {}) as JsonObject;
  const type =
    data.kind === vscode.NotebookCellKind.Markup ? 'markdown' : data.languageId === RAW_LANGUAGE ? 'raw' : 'code';
  // A type VS Code shows as raw stays what it was while the cell stays raw.
  if (shownType(cell['cell_type']) !== type) {
    cell['cell_type'] = type;
  }
  if (!('metadata' in cell)) {
    cell['metadata'] = {};
  }
  const listed = data.metadata?.[ABSENT];
  const absent = new Set(Array.isArray(listed) ? listed : []);
  if (!(absent.has('source') && data.value === '')) {
    cell['source'] = withOriginalLineEnds(data.value, cell['source']);
  }
  if (type === 'code') {
    const order = data.executionSummary?.executionOrder;
    if (order !== undefined || !absent.has('execution_count')) {
      cell['execution_count'] = order ?? null;
    }
    const outputs = data.outputs ?? [];
    if (outputs.length || !absent.has('outputs')) {
      cell['outputs'] = outputs.map(output => fromCellOutput(output, cell['execution_count'] ?? null));
    }
  }
  const attachments = data.metadata?.['attachments'];
  if (attachments !== undefined) {
    cell['attachments'] = attachments as JsonValue;
  }
  return cell;
}

function toCellOutput(output: JsonObject): vscode.NotebookCellOutput {
  const metadata = { [KEY]: canonicalJson(output) };
  switch (output['output_type']) {
    case 'stream': {
      const text = joined(output['text']);
      const item =
        output['name'] === 'stderr'
          ? vscode.NotebookCellOutputItem.stderr(text)
          : vscode.NotebookCellOutputItem.stdout(text);
      return new vscode.NotebookCellOutput([item], metadata);
    }
    case 'error': {
      const traceback = Array.isArray(output['traceback']) ? output['traceback'].join('\n') : '';
      const error = { name: String(output['ename']), message: String(output['evalue']), stack: traceback };
      return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error)], metadata);
    }
    default: {
      const bundle = (output['data'] ?? {}) as JsonObject;
      const items = Object.keys(bundle).map(mime => outputItem(mime, bundle[mime]));
      return new vscode.NotebookCellOutput(items, metadata);
    }
  }
}

function outputItem(mime: string, value: JsonValue): vscode.NotebookCellOutputItem {
  if (typeof value === 'string' || Array.isArray(value)) {
    const text = joined(value);
    if (isBinaryImage(mime)) {
      return new vscode.NotebookCellOutputItem(Buffer.from(text, 'base64'), mime);
    }
    return vscode.NotebookCellOutputItem.text(text, mime);
  }
  return new vscode.NotebookCellOutputItem(encoder.encode(canonicalJson(value)), mime);
}

function isBinaryImage(mime: string): boolean {
  return mime.startsWith('image/') && !mime.startsWith('image/svg');
}

/**
 * An output as nbformat JSON: as read, unless a kernel made it in VS Code
 * (then from its items, and the `outputType` and `metadata` that VS Code's
 * Jupyter support puts beside them).
 */
function fromCellOutput(output: vscode.NotebookCellOutput, count: JsonValue): JsonObject {
  const stored = output.metadata?.[KEY];
  if (typeof stored === 'string') {
    return parseJson(stored) as JsonObject;
  }
  const items = output.items;
  const error = items.find(item => item.mime === ERROR);
  if (error !== undefined) {
    const { name, message, stack } = JSON.parse(decoder.decode(error.data)) as {
      name?: string;
      message?: string;
      stack?: string;
    };
    return { output_type: 'error', ename: name ?? '', evalue: message ?? '', traceback: (stack ?? '').split('\n') };
  }
  const stream = items.find(item => item.mime === STDOUT || item.mime === STDERR);
  if (stream !== undefined) {
    const text = items.map(item => decoder.decode(item.data)).join('');
    return { output_type: 'stream', name: stream.mime === STDERR ? 'stderr' : 'stdout', text };
  }
  const data: JsonObject = {};
  for (const item of items) {
    data[item.mime] = itemValue(item);
  }
  const extra = (output.metadata ?? {}) as { outputType?: string; metadata?: JsonObject; executionCount?: number };
  const metadata = extra.metadata ?? {};
  if (extra.outputType === 'execute_result') {
    return { output_type: 'execute_result', data, metadata, execution_count: extra.executionCount ?? count };
  }
  return { output_type: 'display_data', data, metadata };
}

function itemValue(item: vscode.NotebookCellOutputItem): JsonValue {
  if (isBinaryImage(item.mime)) {
    return Buffer.from(item.data).toString('base64');
  }
  const text = decoder.decode(item.data);
  if (item.mime === 'application/json' || item.mime.endsWith('+json')) {
    try {
      return parseJson(text);
    } catch {
      return text;
    }
  }
  return text;
}

function joined(value: JsonValue | undefined): string {
  if (Array.isArray(value)) {
    return value.join('');
  }
  return typeof value === 'string' ? value : '';
}

/**
 * Gives new cells without an id, and cells repeating an earlier one's (a
 * pasted copy), an id derived from their type and source, as the Python
 * implementation does: never random.  A cell read without an id keeps none.
 */
export function giveUniqueIds(cells: JsonObject[], isNew: boolean[]): void {
  const used = new Set(cells.map(cell => cell['id']).filter((id): id is string => typeof id === 'string'));
  const seen = new Set<string>();
  cells.forEach((cell, index) => {
    const id = cell['id'];
    if (typeof id === 'string' && !seen.has(id)) {
      seen.add(id);
    } else if (typeof id === 'string' || isNew[index]) {
      cell['id'] = derivedId(String(cell['cell_type']), joined(cell['source']), used);
      seen.add(cell['id']);
    }
  });
}

function derivedId(cellType: string, source: string, used: Set<string>): string {
  const stem = createHash('sha256').update(`${cellType}\0${source}`, 'utf8').digest('hex').slice(0, 8);
  let candidate = stem;
  for (let twin = 2; used.has(candidate); twin++) {
    candidate = `${stem}-${twin}`;
  }
  used.add(candidate);
  return candidate;
}

/** UTF-8 bytes of text. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
