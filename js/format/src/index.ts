/**
 * The `.jupyter` format in TypeScript: read and write plain-text Jupyter
 * notebooks, outputs included, exactly as the Python `jupyter_format`
 * package does (`docs/spec.md` is the specification, `tests/vectors/` its
 * test vectors).  No runtime dependencies.
 */

export { deserialize, ParseError, type ReadOptions } from './reader';
export { serialize, SerializeError } from './writer';
export {
  encodeLine as canonicalJson,
  type JsonObject,
  type JsonValue,
  parseJson,
  PyFloat
} from './json';
export { fromIpynbText, ipynbText, type LineSplit } from './ipynb';
export { conflictSides, withConflictMarkers } from './conflicts';
export { conflictView, MARK, markedCells, markOf, noteText, resolution, type Resolution, viewInstead } from './conflictView';
