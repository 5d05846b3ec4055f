/**
 * The mapping of notebooks to VS Code's NotebookData and back (src/convert.ts),
 * run in Node against test/fake-vscode.ts.
 *
 * Usage: node lib-test/mapping.js FILES.txt
 *
 * Each line of FILES.txt is the path of a .jupyter file, a tab, and what
 * nbformat's schema finds wrong with it as Python reports it (`line:column:
 * message`), or nothing.  Every file read as the extension reads it
 * (src/notebookFile.ts: a conflicted file as its conflict view), mapped to
 * NotebookData, carried over as VS Code carries metadata (a JSON copy) and
 * mapped back gives the notebook read, and the extension's warning is
 * Python's complaint; outputs a kernel makes in VS Code map to the nbformat
 * outputs they stand for.  Prints one line per failure and the counts, as
 * JSON, on the last line.
 */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { canonicalJson, type JsonObject } from '@jupyter-format/format';
import { fromNotebookData, toNotebookData } from '../src/convert';
import { readNotebook, schemaProblem } from '../src/notebookFile';

function carried(data: vscode.NotebookData): vscode.NotebookData {
  const copy = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));
  const cells = data.cells.map(cell => {
    const moved = new vscode.NotebookCellData(cell.kind, cell.value, cell.languageId);
    moved.metadata = copy(cell.metadata);
    moved.executionSummary = copy(cell.executionSummary);
    moved.outputs = cell.outputs?.map(
      output =>
        new vscode.NotebookCellOutput(
          output.items.map(item => new vscode.NotebookCellOutputItem(new Uint8Array(item.data), item.mime)),
          copy(output.metadata)
        )
    );
    return moved;
  });
  const moved = new vscode.NotebookData(cells);
  moved.metadata = copy(data.metadata);
  return moved;
}

function roundTrip(path: string, problem: string): string | null {
  const bytes = new Uint8Array(readFileSync(path));
  const nb = readNotebook(bytes);
  const invalid = schemaProblem(bytes);
  const warning = invalid === null ? '' : `${invalid.lineno}:${invalid.colno}: ${invalid.msg}`;
  if (warning !== problem) {
    return `warns ${JSON.stringify(warning)}, not ${JSON.stringify(problem)}`;
  }
  const back = fromNotebookData(carried(toNotebookData(nb)));
  const [expected, got] = [canonicalJson(nb), canonicalJson(back)];
  if (expected === got) {
    return null;
  }
  let at = 0;
  while (expected[at] === got[at]) {
    at++;
  }
  const around = (text: string): string => text.slice(Math.max(0, at - 150), at + 150);
  return `maps back differently from character ${at}:\n  expected ${around(expected)}\n       got ${around(got)}`;
}

/** A notebook of one code cell whose outputs a kernel made in VS Code. */
function kernelOutputs(): string | null {
  const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'plot()', 'python');
  cell.executionSummary = { executionOrder: 3 };
  const png = Buffer.from('iVBORw0KGgo=', 'base64');
  cell.outputs = [
    new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stdout('a\r'), vscode.NotebookCellOutputItem.stdout('b\n')]),
    new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stderr('warn\n')]),
    new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: 'ValueError', message: 'bad', stack: 'line 1\nline 2' })]),
    new vscode.NotebookCellOutput(
      [new vscode.NotebookCellOutputItem(png, 'image/png'), vscode.NotebookCellOutputItem.text('<Figure>')],
      { outputType: 'display_data', metadata: { width: 40 } }
    ),
    new vscode.NotebookCellOutput(
      [vscode.NotebookCellOutputItem.json({ big: 1 }, 'application/json'), vscode.NotebookCellOutputItem.text('{...}')],
      { outputType: 'execute_result', executionCount: 3 }
    )
  ];
  const data = new vscode.NotebookData([cell]);
  data.metadata = { jupyterFormat: canonicalJson({ metadata: {}, nbformat: 4, nbformat_minor: 5 }) };
  const got = canonicalJson(fromNotebookData(data)['cells'] as JsonObject[]);
  const expected = canonicalJson([
    {
      cell_type: 'code',
      execution_count: 3,
      id: '05d7f4f3', // sha256('code\0plot()')[:8], the id Python's derived_id gives
      metadata: {},
      outputs: [
        { name: 'stdout', output_type: 'stream', text: 'a\rb\n' },
        { name: 'stderr', output_type: 'stream', text: 'warn\n' },
        { ename: 'ValueError', evalue: 'bad', output_type: 'error', traceback: ['line 1', 'line 2'] },
        { data: { 'image/png': 'iVBORw0KGgo=', 'text/plain': '<Figure>' }, metadata: { width: 40 }, output_type: 'display_data' },
        { data: { 'application/json': { big: 1 }, 'text/plain': '{...}' }, execution_count: 3, metadata: {}, output_type: 'execute_result' }
      ],
      source: 'plot()'
    }
  ]);
  return got === expected ? null : `kernel outputs map to\n  ${got}\nnot\n  ${expected}`;
}

function main(): void {
  const files = readFileSync(process.argv[2], 'utf-8').split('\n').filter(Boolean);
  const counts = { notebooks: { passed: 0, failed: 0 }, kernel_outputs: { passed: 0, failed: 0 } };
  const tally = (kind: keyof typeof counts, name: string, check: () => string | null): void => {
    let problem: string | null;
    try {
      problem = check();
    } catch (error) {
      problem = `raised ${String(error)}`;
    }
    counts[kind][problem === null ? 'passed' : 'failed']++;
    if (problem !== null) {
      console.log(`FAIL ${name}: ${problem}`);
    }
  };
  for (const line of files) {
    const [path, problem] = line.split('\t');
    tally('notebooks', path, () => roundTrip(path, problem));
  }
  tally('kernel_outputs', 'kernel outputs', kernelOutputs);
  console.log(JSON.stringify(counts));
  process.exitCode = counts.notebooks.failed || counts.kernel_outputs.failed ? 1 : 0;
}

main();
