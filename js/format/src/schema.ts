/**
 * Schema checks for what the `.jupyter` syntax leaves open, as the Python
 * implementation makes them (`jupyter_format/_format/schema.py`).
 *
 * The structured syntax already guarantees most of nbformat's JSON schema.
 * What is left are the free-form JSON parts (notebook and cell metadata,
 * output metadata, `cell_json` and `output_json`, notebook_extra_fields), cell
 * ids and execution counts.  These are checked against nbformat's schema for
 * the notebook's minor version, with fastjsonschema's messages.
 *
 * The one deliberate difference from nbformat's validation: from nbformat 4.5
 * on, a missing cell id is an error, where nbformat makes up a random one.
 */

import { hasKey, isPlainObject, JsonObject, JsonValue } from './json';
import { SchemaViolation, Validator } from './jsonSchema';
import { JsonSchema, LATEST, LATEST_MINOR, SCHEMAS } from './nbformatSchemas';

export const MISSING_CELL_ID = 'invalid notebook: cell id missing (required from nbformat 4.5 on)';

type Minor = number | bigint;

/** The checks of nbformat's schema for one minor version of nbformat 4; each returns a message or null. */
export class NotebookSchema {
  private readonly idsAllowed: boolean;
  private readonly idsRequired: boolean;
  private readonly idMaxLength: number | undefined;
  private readonly definitions: { [name: string]: JsonSchema };
  private readonly parts = new Map<string, JsonSchema>();
  private readonly validators = new Map<string, Validator>();
  /** Per cell type, the keys of metadata that its schema constrains, if nothing else is. */
  private readonly constrainedKeys = new Map<string, Set<string>>();

  constructor(
    readonly minor: Minor,
    schema: JsonSchema
  ) {
    this.definitions = schema['definitions'] as { [name: string]: JsonSchema };
    const codeCell = this.definitions['code_cell'];
    const codeCellProperties = codeCell['properties'] as JsonObject;
    this.idsAllowed = hasKey(codeCellProperties, 'id') || (codeCell['additionalProperties'] ?? true) !== false;
    this.idsRequired = ((codeCell['required'] ?? []) as string[]).includes('id');
    this.idMaxLength = (this.definitions['cell_id'] as JsonObject | undefined)?.['maxLength'] as number | undefined;
    // Cells are checked one by one, so the top level needs no cell schema.
    const properties = schema['properties'] as JsonObject;
    this.parts.set('notebook', { ...schema, properties: { ...properties, cells: { type: 'array' } } });
    this.parts.set('cell_json', { $ref: '#/definitions/cell' });
    this.parts.set('output_json', { $ref: '#/definitions/output' });
    for (const cellType of ['markdown', 'code', 'raw']) {
      const part = (this.definitions[`${cellType}_cell`]['properties'] as { [key: string]: JsonSchema })['metadata'];
      this.parts.set(`${cellType}_metadata`, part);
      const keywords = Object.keys(part);
      if (
        keywords.every(keyword => ['type', 'description', 'properties', 'additionalProperties'].includes(keyword)) &&
        (part['additionalProperties'] ?? true) === true &&
        part['type'] === 'object'
      ) {
        this.constrainedKeys.set(cellType, new Set(Object.keys((part['properties'] ?? {}) as JsonObject)));
      }
    }
    for (const [name, definition] of Object.entries(this.definitions)) {
      this.parts.set(`definition ${name}`, definition);
    }
  }

  /** Check the top level of a notebook whose cells are checked one by one. */
  notebook(skeleton: JsonObject): string | null {
    return this.check('notebook', skeleton, 'notebook');
  }

  /** Check the id of a structured cell (which the syntax keeps to nbformat's pattern). */
  cellId(cellId: string | null): string | null {
    if (cellId === null) {
      return this.idsRequired ? MISSING_CELL_ID : null;
    }
    if (!this.idsAllowed) {
      return `invalid notebook: cell ids are not allowed in nbformat 4.${this.minor} (only from 4.5 on)`;
    }
    if (this.idMaxLength !== undefined && cellId.length > this.idMaxLength) {
      return `invalid notebook: cell id longer than ${this.idMaxLength} characters`;
    }
    return null;
  }

  /** Check the execution count of a structured cell or execute_result. */
  executionCount(count: number | bigint | null): string | null {
    return count !== null && count < 0 ? 'invalid notebook: an execution count must be >= 0' : null;
  }

  /** Check the metadata of a structured cell. */
  cellMetadata(cellType: string, metadata: JsonValue): string | null {
    const constrained = this.constrainedKeys.get(cellType);
    if (constrained !== undefined && isPlainObject(metadata) && !Object.keys(metadata).some(key => constrained.has(key))) {
      return null;
    }
    return this.check(`${cellType}_metadata`, metadata, 'cell_metadata');
  }

  /** Check the metadata of a structured display_data or execute_result. */
  outputMetadata(metadata: JsonValue): string | null {
    return isPlainObject(metadata)
      ? null
      : `invalid notebook (nbformat 4.${this.minor} schema): output_metadata must be a JSON object`;
  }

  /** Check a whole cell (one in `cell_json` form). */
  cell(cell: JsonValue): string | null {
    const problem = this.check('cell_json', cell, 'cell_json');
    if (problem === null) {
      // Cells of unknown types need ids too, rather than random ones.
      return this.idsRequired && isPlainObject(cell) && !hasKey(cell, 'id') ? MISSING_CELL_ID : null;
    }
    return this.explain(cell, 'cell_type', '_cell', 'cell_json') ?? problem;
  }

  /** Check a whole output (one in `output_json` form). */
  output(output: JsonValue): string | null {
    const problem = this.check('output_json', output, 'output_json');
    return problem === null ? null : (this.explain(output, 'output_type', '', 'output_json') ?? problem);
  }

  /**
   * Say why *data* matches none of the schema's alternatives, if its type is
   * known: a failed "one of" says little, the definition of the object's own
   * type says which field is wrong.
   */
  private explain(data: JsonValue, typeField: string, suffix: string, what: string): string | null {
    const kind = isPlainObject(data) ? data[typeField] : undefined;
    const part = `definition ${String(kind)}${suffix}`;
    if (typeof kind !== 'string' || !this.parts.has(part)) {
      return null;
    }
    return this.check(part, data, what);
  }

  private check(part: string, data: JsonValue, what: string): string | null {
    let validator = this.validators.get(part);
    if (validator === undefined) {
      const schema = this.parts.get(part)!;
      validator = new Validator(schema, { ...schema, definitions: this.definitions });
      this.validators.set(part, validator);
    }
    try {
      validator.validate(data);
    } catch (error) {
      if (!(error instanceof SchemaViolation)) {
        throw error;
      }
      // As Python reports it: the first line, with the part named for "data".
      const message = error.message.split('\n', 1)[0];
      return `invalid notebook (nbformat 4.${this.minor} schema): ${what}${message.slice('data'.length)}`;
    }
    return null;
  }
}

/** What is wrong with a notebook's nbformat_minor, if anything. */
export function minorVersionProblem(nb: JsonObject): string | null {
  if (!hasKey(nb, 'nbformat_minor')) {
    return 'invalid notebook: nbformat_minor is missing';
  }
  const minor = nb['nbformat_minor'];
  const isInteger = (typeof minor === 'number' && Number.isInteger(minor)) || typeof minor === 'bigint';
  if (!isInteger) {
    return 'invalid notebook: nbformat_minor must be an integer';
  }
  return schemaFor(minor) === null ? `invalid notebook: nbformat has no schema for nbformat 4.${String(minor)}` : null;
}

/** The checks made so far, by minor version (as Python's functools.cache keeps them). */
const bySchema = new Map<string, NotebookSchema>();
let relaxedLatest: JsonSchema | undefined;

/** The checks for nbformat 4.*minor*, or null if nbformat has no schema for it. */
export function schemaFor(minor: Minor): NotebookSchema | null {
  let schema = bySchema.get(String(minor));
  if (schema === undefined) {
    const known = typeof minor === 'number' ? SCHEMAS.get(minor) : undefined;
    if (known === undefined && minor <= LATEST_MINOR) {
      return null;
    }
    schema = new NotebookSchema(minor, known ?? relaxedSchema());
    bySchema.set(String(minor), schema);
  }
  return schema;
}

/**
 * The latest schema as nbformat relaxes it for notebooks newer than itself:
 * unknown fields allowed everywhere, and unknown cell and output types.
 */
function relaxedSchema(): JsonSchema {
  if (relaxedLatest === undefined) {
    relaxedLatest = withAdditionalProperties(LATEST) as JsonSchema;
    const definitions = relaxedLatest['definitions'] as { [name: string]: { oneOf: JsonSchema[] } };
    definitions['cell'].oneOf.push({ $ref: '#/definitions/unrecognized_cell' });
    definitions['output'].oneOf.push({ $ref: '#/definitions/unrecognized_output' });
  }
  return relaxedLatest;
}

function withAdditionalProperties(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(withAdditionalProperties);
  }
  if (!isPlainObject(node)) {
    return node;
  }
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    result[key] = key === 'additionalProperties' ? true : (withAdditionalProperties(value) as JsonValue);
  }
  return result;
}
