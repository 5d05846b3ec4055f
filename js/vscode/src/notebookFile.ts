// The one way between `.jupyter` bytes and notebooks for both editors: text
// with git's conflict markers reads as its conflict view, and a conflict view
// writes as the notebook once every conflict is resolved, else as conflicted
// text again, so that an unresolved conflict never becomes a clean file.
import { conflictView, deserialize, type JsonObject, markedCells, ParseError, resolution, serialize } from '@jupyter-format/format';

/** The notebook in *bytes*, or the conflict view of conflicted text. Throws ParseError. */
export function readNotebook(bytes: Uint8Array): JsonObject {
  try {
    return deserialize(bytes);
  } catch (error) {
    if (!(error instanceof ParseError)) {
      throw error;
    }
    const view = conflictView(bytes);
    if (view === null) {
      throw error;
    }
    return view;
  }
}

/**
 * What nbformat's schema finds wrong with the notebook that readNotebook reads
 * of *bytes* (conflict view included), if anything.  Such a notebook still
 * opens, as it does in Jupyter, with the problem as a warning.
 */
export function schemaProblem(bytes: Uint8Array): ParseError | null {
  try {
    if (conflictView(bytes, { validate: true }) === null) {
      deserialize(bytes, { validate: true });
    }
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
