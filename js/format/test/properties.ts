/**
 * The round trip of notebooks full of hostile strings, as a fast-check property:
 * a notebook written, read back and written again gives the same notebook and
 * the same text.  Strings hold any UTF-16 units (lone surrogates too), control
 * characters, CR, line separators, bidirectional controls and lines that look
 * like the format's own (heads, markers, indentation).  The same notebooks go
 * through `.ipynb` text and back, with both ways of splitting lines.  And a
 * merge of two edits of a notebook, as conflicted text, views as a notebook
 * from which deleting one side's cells gives back the other side exactly.
 *
 * Usage: node lib/test/properties.js [RUNS]  (a fixed seed: the same cases every time)
 */

import * as fc from 'fast-check';
import { conflictView, deserialize, fromIpynbText, ipynbText, markOf, resolution, serialize, withConflictMarkers } from '../src/index';
import { encodeLine, JsonObject, JsonValue, PyFloat } from '../src/json';

const LOOKALIKES = [
  '', '\n', '\r', '\r\n', '\t', '\u0000', '\u000b', '\u000c', '\u001f', '\u007f', '\u0085',
  '\u2028', '\u2029', '\u202e', '\u2066', '\u200b', '\u200d', '\ufeff', '\ud800', '\udfff',
  '\\', '\\x41', '\\u0041', '    ', '   \\', '   ', ' ', 'code', 'markdown id=a',
  ' stream stdout', 'notebook_metadata', '   text/plain', '   -', '  traceback',
  '<<<<<<< ours', '=======', '>>>>>>> theirs', '{', '}', '"', 'id=', 'é', '😀', 'שלום'
];

const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...LOOKALIKES), fc.string({ unit: 'binary' }), fc.string16bits()), {
    maxLength: 6
  })
  .map(parts => parts.join(''));

const jsonScalar: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.bigInt({ min: 2n ** 64n, max: 2n ** 200n }),
  fc.double().map(value => (Number.isInteger(value) || Object.is(value, -0) ? new PyFloat(value) : value)),
  hostileText
);

const { json: jsonValue } = fc.letrec<{ json: JsonValue }>(tie => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonScalar,
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(hostileText, tie('json'), { maxKeys: 3 })
  )
}));

const metadata = fc.dictionary(hostileText, jsonValue, { maxKeys: 3 });
const mimeBundle = fc.dictionary(
  fc.oneof(fc.constantFrom('text/plain', 'text/html', 'image/png', 'application/json', 'a b', '-'), hostileText),
  hostileText,
  { maxKeys: 3 }
);
const count = fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 1000 }));

const output = fc.oneof(
  fc.record({ output_type: fc.constant('stream'), name: fc.oneof(fc.constant('stdout'), hostileText), text: hostileText }),
  fc.record({ output_type: fc.constant('display_data'), data: mimeBundle, metadata }),
  fc.record({ output_type: fc.constant('execute_result'), data: mimeBundle, metadata, execution_count: count }),
  fc.record({ output_type: fc.constant('error'), ename: hostileText, evalue: hostileText, traceback: fc.array(hostileText, { maxLength: 3 }) }),
  metadata
);

const cellId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), hostileText);

const cell = fc.oneof(
  fc.record(
    { cell_type: fc.constant('code'), id: cellId, metadata, source: hostileText, execution_count: count, outputs: fc.array(output, { maxLength: 3 }) },
    { requiredKeys: ['cell_type', 'metadata', 'source', 'execution_count', 'outputs'] }
  ),
  fc.record(
    { cell_type: fc.constantFrom('markdown', 'raw'), id: cellId, metadata, source: hostileText, attachments: fc.dictionary(hostileText, mimeBundle, { maxKeys: 2 }) },
    { requiredKeys: ['cell_type', 'metadata', 'source'] }
  ),
  metadata
);

const notebook = fc.record(
  {
    nbformat: fc.constant(4),
    nbformat_minor: fc.oneof(fc.integer({ min: 0, max: 9 }), jsonScalar),
    metadata,
    cells: fc.array(cell, { maxLength: 5 })
  },
  { requiredKeys: ['nbformat', 'metadata', 'cells'] }
);

/** A notebook and an edit of it: cells replaced, inserted or deleted, metadata changed. */
const editedPair = fc
  .tuple(notebook, fc.array(cell, { maxLength: 3 }), fc.nat(), fc.nat(), fc.option(metadata))
  .map(([nb, inserted, at, removed, changedMetadata]): [JsonObject, JsonObject] => {
    const cells = [...(nb['cells'] as JsonValue[])];
    const where = cells.length ? at % (cells.length + 1) : 0;
    cells.splice(where, cells.length ? removed % 3 : 0, ...inserted);
    return [nb, { ...nb, cells, metadata: changedMetadata ?? nb['metadata'] }];
  });

let viewed = 0;

function checkConflictView(ours: JsonObject, theirs: JsonObject): void {
  const [oursText, theirsText] = [serialize(ours), serialize(theirs)];
  if (oursText === theirsText) {
    return;
  }
  const [text] = withConflictMarkers(oursText, theirsText);
  let view: JsonObject | null;
  try {
    view = conflictView(text);
  } catch (error) {
    // A side whose cells cannot carry a mark is refused, as the spec says.
    if (/cannot|no metadata to mark|are not a list|marks of an earlier/.test(String(error))) {
      return;
    }
    throw error;
  }
  if (view === null) {
    throw new Error('conflicted text without a conflict view');
  }
  for (const [deleted, expected] of [['theirs', oursText], ['ours', theirsText]]) {
    const cells = (view['cells'] as JsonObject[]).filter(viewCell => markOf(viewCell)?.['side'] !== deleted);
    const resolved = resolution({ ...view, cells });
    if (resolved.notebook === undefined || serialize(resolved.notebook) !== expected) {
      throw new Error(`deleting ${deleted}' cells gives another notebook`);
    }
  }
  if (resolution(view).text !== text) {
    throw new Error('the unresolved view writes another conflicted text');
  }
  viewed++;
}

function main(): void {
  const runs = Number(process.argv[2] ?? 2000);
  fc.assert(
    fc.property(editedPair, ([ours, theirs]) => checkConflictView(ours, theirs)),
    { numRuns: Math.ceil(runs / 2), seed: 20261203 }
  );
  console.log(`conflict views: ${Math.ceil(runs / 2)} merges, ${viewed} viewed and resolved both ways`);
  fc.assert(
    fc.property(notebook, (nb: JsonObject) => {
      const text = serialize(nb);
      const read = deserialize(text);
      if (encodeLine(read) !== encodeLine(nb)) {
        throw new Error(`reads back differently:\n${encodeLine(read)}\n${encodeLine(nb)}`);
      }
      if (serialize(read) !== text) {
        throw new Error('writes differently the second time');
      }
      if (/\r|\u0000|\u2028|\u202e/.test(text)) {
        throw new Error('an unsafe character is in the text raw');
      }
      for (const split of ['splitlines', 'newline'] as const) {
        if (encodeLine(fromIpynbText(ipynbText(nb, split))) !== encodeLine(nb)) {
          throw new Error(`reads back differently from .ipynb text split at ${split}`);
        }
      }
    }),
    { numRuns: runs, seed: 20261203 }
  );
  console.log(`round trip: ${runs} notebooks`);
}

main();
