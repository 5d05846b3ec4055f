// `.jupyter` notebooks in VS Code: the `jupyter-text` notebook type, and a
// bridge that opens the same file in the `jupyter-notebook` editor, where the
// Jupyter extension's kernels run.
import * as vscode from 'vscode';
import { canonicalJson, type JsonObject, ParseError, parseJson } from '@jupyter-format/format';
import { BridgeFileSystem, bridgeUri, SCHEME } from './bridge';
import { notebookText, readNotebook, schemaProblem } from './notebookFile';
import { fromNotebookData, giveUniqueIds, KEY, toNotebookData, usesIds, utf8 } from './convert';

export const NOTEBOOK_TYPE = 'jupyter-text';
const OPEN_WITH_KERNEL = 'jupyter-format.openWithJupyterKernel';
/** Notebook metadata key of a notebook shown in place of a file that does not parse. */
const UNREADABLE = 'jupyterFormatUnreadable';
/** Notebook metadata key of a notebook that reads but breaks nbformat's schema: where and why. */
const INVALID = 'jupyterFormatInvalid';

export function activate(context: vscode.ExtensionContext): void {
  const bridge = new BridgeFileSystem();
  context.subscriptions.push(
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new TextNotebookSerializer(), {
      transientOutputs: false,
      transientCellMetadata: {},
      transientDocumentMetadata: {}
    }),
    bridge,
    vscode.workspace.registerFileSystemProvider(SCHEME, bridge, { isCaseSensitive: true }),
    vscode.commands.registerCommand(OPEN_WITH_KERNEL, openWithJupyterKernel),
    vscode.workspace.onDidOpenNotebookDocument(reportProblems),
    vscode.workspace.onDidChangeNotebookDocument(giveAddedCellsIds)
  );
  vscode.workspace.notebookDocuments.forEach(reportProblems);
}

export function deactivate(): void {}

class TextNotebookSerializer implements vscode.NotebookSerializer {
  /** The bytes each notebook was read from, by its canonical JSON: an unedited save writes them again. */
  private readonly readFrom = new Map<string, Uint8Array>();

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    let nb: JsonObject;
    try {
      nb = readNotebook(content);
    } catch (error) {
      if (error instanceof ParseError) {
        return unreadableNotebook(error);
      }
      throw error;
    }
    const cells = nb['cells'];
    if (!Array.isArray(cells) || !cells.every(cell => typeof cell === 'object' && cell !== null && !Array.isArray(cell))) {
      // Cells that notebook_extra_fields holds, which nbformat's schema checks no further.
      return unreadableNotebook(new ParseError('invalid notebook: its cells are not a list of objects', 1, 1));
    }
    this.remember(canonicalJson(nb), content);
    const data = toNotebookData(nb);
    const invalid = schemaProblem(content);
    if (invalid !== null) {
      data.metadata = { ...data.metadata, [INVALID]: where(invalid) };
    }
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const unreadable = data.metadata?.[UNREADABLE];
    if (typeof unreadable === 'string') {
      throw new Error(`not saved, so that the file is kept as it is: ${unreadable}`);
    }
    const nb = fromNotebookData(data);
    const json = canonicalJson(nb);
    const original = this.readFrom.get(json);
    if (original !== undefined) {
      return original;
    }
    const bytes = utf8(notebookText(nb));
    this.remember(json, bytes);
    return bytes;
  }

  private remember(json: string, bytes: Uint8Array): void {
    // Recently read notebooks only: a session may open many.
    this.readFrom.delete(json);
    this.readFrom.set(json, bytes);
    if (this.readFrom.size > 32) {
      this.readFrom.delete(this.readFrom.keys().next().value as string);
    }
  }
}

/**
 * A notebook that shows why the file does not read.  It cannot be saved: the
 * file stays as it is until it is fixed (in the text editor, say).
 */
function unreadableNotebook(error: ParseError): vscode.NotebookData {
  const text =
    `**This file is not a valid \`.jupyter\` notebook** (line ${error.lineno}, column ${error.colno}):\n\n` +
    `${error.msg}\n\n` +
    'Fix it in the text editor (**Reopen Editor With… › Text Editor**); this notebook is never saved.';
  const data = new vscode.NotebookData([new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, text, 'markdown')]);
  data.metadata = { [UNREADABLE]: where(error) };
  return data;
}

function where(error: ParseError): string {
  return `${error.lineno}:${error.colno}: ${error.msg}`;
}

function reportProblems(document: vscode.NotebookDocument): void {
  if (document.notebookType !== NOTEBOOK_TYPE) {
    return;
  }
  const unreadable = document.metadata[UNREADABLE];
  if (typeof unreadable === 'string') {
    void vscode.window.showErrorMessage(`${document.uri.fsPath}:${unreadable}`);
  }
  const invalid = document.metadata[INVALID];
  if (typeof invalid === 'string') {
    void vscode.window.showWarningMessage(
      `${document.uri.fsPath}:${invalid} (the notebook opens and saves all the same, as in Jupyter)`
    );
  }
}

/**
 * Gives cells added to a notebook with cell ids (new, pasted or duplicated)
 * an id of their own when they appear, so that it stays the same however
 * their source changes afterwards.
 */
function giveAddedCellsIds(event: vscode.NotebookDocumentChangeEvent): void {
  const document = event.notebook;
  if (document.notebookType !== NOTEBOOK_TYPE || !event.contentChanges.some(change => change.addedCells.length)) {
    return;
  }
  const stored = document.metadata[KEY];
  const nb = typeof stored === 'string' ? (parseJson(stored) as JsonObject) : {};
  const cells = document.getCells();
  const jsons = cells.map(cell => cellJson(cell));
  if (!usesIds(nb, jsons)) {
    return;
  }
  const before = jsons.map(json => json['id']);
  giveUniqueIds(
    jsons,
    cells.map(cell => typeof cell.metadata[KEY] !== 'string')
  );
  const edit = new vscode.WorkspaceEdit();
  const edits = cells.flatMap((cell, index) =>
    jsons[index]['id'] === before[index]
      ? []
      : [vscode.NotebookEdit.updateCellMetadata(index, { ...cell.metadata, [KEY]: canonicalJson(withoutContent(jsons[index])) })]
  );
  if (edits.length) {
    edit.set(document.uri, edits);
    void vscode.workspace.applyEdit(edit);
  }
}

function cellJson(cell: vscode.NotebookCell): JsonObject {
  const stored = cell.metadata[KEY];
  const json = (typeof stored === 'string' ? parseJson(stored) : { metadata: {} }) as JsonObject;
  json['cell_type'] =
    cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : cell.document.languageId === 'raw' ? 'raw' : 'code';
  json['source'] = cell.document.getText();
  return json;
}

function withoutContent(cell: JsonObject): JsonObject {
  const { source: _source, ...rest } = cell;
  return rest;
}

/**
 * Opens the `.jupyter` file in the `jupyter-notebook` editor, through the
 * bridge.  From the Explorer the file comes as a URI; from the notebook's
 * toolbar and the command palette it is the active notebook's.
 */
async function openWithJupyterKernel(resource?: unknown): Promise<void> {
  const file = resource instanceof vscode.Uri ? resource : vscode.window.activeNotebookEditor?.notebook.uri;
  if (file === undefined || file.scheme !== 'file') {
    void vscode.window.showErrorMessage('Open a .jupyter notebook first.');
    return;
  }
  await vscode.commands.executeCommand('vscode.openWith', bridgeUri(file), 'jupyter-notebook');
}
