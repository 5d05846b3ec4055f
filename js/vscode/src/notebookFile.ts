// The one way between `.jupyter` bytes and notebooks for both editors: text
// with git's conflict markers reads as its conflict view, and a conflict view
// writes as the notebook once every conflict is resolved, else as conflicted
// text again, so that an unresolved conflict never becomes a clean file.
import { conflictView, deserialize, type JsonObject, markedCells, ParseError, resolution, serialize } from '@jupyter-format/format';

/** A notebook read from a file, and what nbformat's schema finds wrong with it, if anything. */
export interface ReadResult {
  notebook: JsonObject;
  invalid: ParseError | null;
}

/**
 * The notebook in *bytes*, or the conflict view of conflicted text.  Throws
 * ParseError if the text does not read.  A notebook that reads but breaks
 * nbformat's schema still opens, as it does in Jupyter, with the problem.
 */
export function readNotebook(bytes: Uint8Array): ReadResult {
  let notebook: JsonObject;
  try {
    notebook = deserialize(bytes);
  } catch (error) {
    if (!(error instanceof ParseError)) {
      throw error;
    }
    const view = conflictView(bytes);
    if (view === null) {
      throw error;
    }
    return { notebook: view, invalid: schemaProblem(() => conflictView(bytes, { validate: true })) };
  }
  return { notebook, invalid: schemaProblem(() => deserialize(bytes, { validate: true })) };
}

/** What reading again with nbformat's schema checks finds wrong, if anything. */
function schemaProblem(read: () => unknown): ParseError | null {
  try {
    read();
  } catch (error) {
    if (error instanceof ParseError) {
      return error;
    }
    throw error;
  }
  return null;
}

/** The `.jupyter` text to write of *nb*, which may be a conflict view. */
export function notebookText(nb: JsonObject): string {
  if (!markedCells(nb).length) {
    return serialize(nb);
  }
  const resolved = resolution(nb);
  return resolved.notebook === undefined ? resolved.text! : serialize(resolved.notebook);
}
