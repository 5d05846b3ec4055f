/** Facts of the `.jupyter` grammar that the reader and the writer share (grammar.py). */

/** nbformat's pattern for cell ids; other ids are kept in `cell_json` form. */
export const CELL_ID = /^[A-Za-z0-9_-]+$/;

/** MIME types whose data nbformat stores as JSON. */
const JSON_MIME_TYPE = /^application\/(.*\+)?json$/s;

export function isJsonMimeType(mimeType: string): boolean {
  return JSON_MIME_TYPE.test(mimeType);
}

/**
 * How deeply a notebook's JSON may nest, the notebook object being level 1.
 * Readers, writers and the Jupyter server all hold to this one limit.
 */
export const MAX_NESTING = 400;
