/**
 * Conformance of the TypeScript reader and writer with the Python implementation.
 *
 * Usage: node lib/test/conformance.js CASES.jsonl
 *
 * Each line of CASES.jsonl is one case, written by the Python side
 * (tests/test_typescript.py):
 * - {"kind": "read", "name", "path", "json", "text"}: reading the file at
 *   *path* gives the notebook whose canonical JSON (Python's
 *   `json.dumps(nb, sort_keys=True)`) is *json*, and writing that notebook
 *   gives *text* (when given) byte for byte, and *ipynb* (when given) is the
 *   `.ipynb` text that nbformat writes of it: `ipynbText` gives it byte for
 *   byte, and `fromIpynbText` reads it back to the same notebook, as it does
 *   the text with lines split only at newlines; with *validate*, it reads so
 *   with nbformat's schema checks too;
 * - {"kind": "error", "name", "path", "line", "column", "message", "validate"}:
 *   reading the file fails with this message and position.
 * - {"kind": "conflict", "name", "path", "json", "ours", "theirs", "same"}:
 *   the conflict view of the conflicted file at *path* is the notebook whose
 *   canonical JSON is *json*; deleting theirs' cells from it and resolving
 *   gives the notebook that writes as *ours*, and the other way round; and the
 *   view resolved as it is gives conflicted text whose view is the view again,
 *   the file's own text when *same*.
 * It prints one line per failing case and a summary, as JSON on the last line,
 * and exits with status 1 if any case failed.
 */

import { readFileSync } from 'fs';
import { conflictView, deserialize, fromIpynbText, ipynbText, markOf, ParseError, resolution, serialize } from '../src/index';
import { encodeLine, JsonObject, JsonValue } from '../src/json';

interface Case {
  kind: 'read' | 'error' | 'conflict';
  name: string;
  path: string;
  json?: string;
  text?: string;
  ipynb?: string;
  line?: number;
  column?: number;
  message?: string;
  validate?: boolean;
  ours?: string;
  theirs?: string;
  same?: boolean;
}

function checkConflict(testCase: Case, data: Uint8Array): string | null {
  const view = conflictView(data);
  if (view === null) {
    return 'no conflict view';
  }
  const json = encodeLine(view);
  if (json !== testCase.json) {
    return `views differently from character ${[...json].findIndex((c, i) => c !== [...testCase.json!][i])}: ${json.slice(0, 300)}`;
  }
  for (const [kept, deleted, text] of [['ours', 'theirs', testCase.ours], ['theirs', 'ours', testCase.theirs]]) {
    const cells = (view['cells'] as JsonObject[]).filter(cell => markOf(cell)?.['side'] !== deleted);
    const resolved = resolution({ ...view, cells });
    if (resolved.notebook === undefined || serialize(resolved.notebook) !== text) {
      return `deleting ${deleted}' cells does not give ${kept}: ${JSON.stringify(resolved).slice(0, 300)}`;
    }
  }
  const unresolved = resolution(view);
  if (unresolved.text === undefined || encodeLine(conflictView(unresolved.text)) !== json) {
    return `the view resolved as it is does not view as itself: ${JSON.stringify(unresolved).slice(0, 300)}`;
  }
  if (testCase.same && unresolved.text !== new TextDecoder().decode(data)) {
    return `the view resolved as it is writes differently ${whereDifferent(unresolved.text, new TextDecoder().decode(data))}`;
  }
  return null;
}

function check(testCase: Case): string | null {
  const data = new Uint8Array(readFileSync(testCase.path));
  if (testCase.kind === 'conflict') {
    return checkConflict(testCase, data);
  }
  if (testCase.kind === 'error') {
    try {
      deserialize(data, { validate: testCase.validate ?? true });
    } catch (error) {
      if (!(error instanceof ParseError)) {
        return `not a ParseError: ${String(error)}`;
      }
      const got = `${error.lineno}:${error.colno}: ${error.msg}`;
      const expected = `${testCase.line}:${testCase.column}: ${testCase.message}`;
      return got === expected ? null : `expected ${expected}\n     got ${got}`;
    }
    return `read without error, expected ${testCase.line}:${testCase.column}: ${testCase.message}`;
  }
  let nb: JsonValue;
  try {
    nb = deserialize(data, { validate: testCase.validate ?? false });
  } catch (error) {
    return `does not read: ${String(error)}`;
  }
  const json = encodeLine(nb);
  if (json !== testCase.json) {
    return `reads differently:\n  expected ${testCase.json!.slice(0, 300)}\n       got ${json.slice(0, 300)}`;
  }
  if (testCase.text !== undefined) {
    const text = serialize(nb);
    if (text !== testCase.text) {
      return `writes differently ${whereDifferent(text, testCase.text)}`;
    }
  }
  if (testCase.ipynb !== undefined) {
    const ipynb = ipynbText(nb as JsonObject);
    if (ipynb !== testCase.ipynb) {
      return `writes .ipynb differently ${whereDifferent(ipynb, testCase.ipynb)}`;
    }
    for (const text of [ipynb, ipynbText(nb as JsonObject, 'newline')]) {
      if (encodeLine(fromIpynbText(text)) !== json) {
        return `reads its .ipynb text back differently: ${encodeLine(fromIpynbText(text)).slice(0, 300)}`;
      }
    }
  }
  return null;
}

function whereDifferent(got: string, expected: string): string {
  const wanted = [...expected];
  const at = [...got].findIndex((character, index) => character !== wanted[index]);
  return `from character ${at}: ${JSON.stringify(got.slice(Math.max(0, at - 40), at + 40))}`;
}

function main(): void {
  const lines = readFileSync(process.argv[2], 'utf-8').split('\n').filter(Boolean);
  const counts: { [kind: string]: { passed: number; failed: number } } = {};
  for (const line of lines) {
    const testCase = JSON.parse(line) as Case;
    let problem: string | null;
    try {
      problem = check(testCase);
    } catch (error) {
      problem = `raised ${String(error)}`;
    }
    const tally = (counts[testCase.kind] ??= { passed: 0, failed: 0 });
    if (problem === null) {
      tally.passed++;
    } else {
      tally.failed++;
      console.log(`FAIL ${testCase.kind} ${testCase.name}: ${problem}`);
    }
  }
  console.log(JSON.stringify(counts));
  process.exitCode = Object.values(counts).some(tally => tally.failed) ? 1 : 0;
}

main();
