/**
 * A JSON Schema (draft 4) validator for nbformat's schemas that fails as
 * fastjsonschema, nbformat's validator, does: it checks the keywords of a
 * schema in fastjsonschema's order, stops at the first violation and reports
 * it with fastjsonschema's message (`data.metadata.kernelspec must contain
 * ['display_name', 'name'] properties`).  Values are judged as Python judges
 * the values `json.loads` makes: `1.0` is a float, not an integer; `1` and
 * `1.0` are the same item.
 *
 * It knows the keywords nbformat's schemas use.  Like fastjsonschema, it
 * ignores words that are no keywords (nbformat's schemas hold a few such
 * slips, `item` for `items`); it refuses the keywords fastjsonschema knows and
 * it does not, rather than pass what it cannot check.
 */

import { compareCodePoints, hasKey, isPlainObject, JsonValue, PyFloat } from './json';
import type { JsonSchema } from './nbformatSchemas';
import { pythonRepr, stringRepr } from './writer';

/** The first way a value breaks a schema, in fastjsonschema's words. */
export class SchemaViolation extends Error {}

/** A schema that uses a keyword this validator does not know. */
export class UnsupportedSchemaError extends Error {}

/** The other keywords of draft 4 that fastjsonschema checks (or, for default, fills in). */
const UNSUPPORTED = [
  'allOf',
  'anyOf',
  'format',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'additionalItems',
  'minProperties',
  'maxProperties',
  'dependencies',
  'default'
];

/** Checks values against one schema, whose `$ref`s point into *root*. */
export class Validator {
  private readonly patterns = new Map<string, RegExp>();

  constructor(
    private readonly schema: JsonSchema,
    private readonly root: JsonSchema = schema
  ) {}

  /** Throw a SchemaViolation if *value* does not meet the schema. */
  validate(value: JsonValue): void {
    this.check(this.schema, value, 'data');
  }

  /** Check the keywords in fastjsonschema's order: the first violation it finds is the one reported. */
  private check(schema: JsonSchema, value: JsonValue, name: string): void {
    const ref = schema['$ref'];
    if (typeof ref === 'string') {
      // As in fastjsonschema, a reference overrides the keywords beside it.
      this.check(this.resolve(ref), value, name);
      return;
    }
    for (const keyword of UNSUPPORTED) {
      if (hasKey(schema, keyword)) {
        throw new UnsupportedSchemaError(`the schema keyword ${stringRepr(keyword)} is not supported`);
      }
    }
    if (hasKey(schema, 'type')) {
      const types = ([] as string[]).concat(schema['type'] as string | string[]);
      if (!types.some(type => isOfType(value, type))) {
        fail(`${name} must be ${types.join(' or ')}`);
      }
    }
    if (hasKey(schema, 'enum')) {
      const options = schema['enum'] as JsonValue[];
      if (!options.some(option => matches(value, option))) {
        fail(`${name} must be one of ${pythonRepr(options)}`);
      }
    }
    if (hasKey(schema, 'oneOf')) {
      let found = 0;
      for (const alternative of schema['oneOf'] as JsonSchema[]) {
        if (found < 2 && this.passes(alternative, value, name)) {
          found++;
        }
      }
      if (found !== 1) {
        fail(`${name} must be valid exactly by one definition (${found} matches found)`);
      }
    }
    if (hasKey(schema, 'not')) {
      const disallowed = schema['not'] as JsonSchema;
      if (Object.keys(disallowed).length === 0 || this.passes(disallowed, value, name)) {
        fail(`${name} must NOT match a disallowed definition`);
      }
    }
    if (typeof value === 'string') {
      this.checkString(schema, value, name);
    }
    if (isNumber(value)) {
      checkBounds(schema, value, name);
    }
    if (Array.isArray(value)) {
      this.checkArray(schema, value, name);
    }
    if (isPlainObject(value)) {
      this.checkObject(schema, value, name);
    }
  }

  private passes(schema: JsonSchema, value: JsonValue, name: string): boolean {
    try {
      this.check(schema, value, name);
      return true;
    } catch (error) {
      if (error instanceof SchemaViolation) {
        return false;
      }
      throw error;
    }
  }

  private checkString(schema: JsonSchema, value: string, name: string): void {
    if (hasKey(schema, 'minLength') || hasKey(schema, 'maxLength')) {
      const length = Array.from(value).length; // in code points, as Python counts
      if (hasKey(schema, 'minLength') && length < (schema['minLength'] as number)) {
        fail(`${name} must be longer than or equal to ${String(schema['minLength'])} characters`);
      }
      if (hasKey(schema, 'maxLength') && length > (schema['maxLength'] as number)) {
        fail(`${name} must be shorter than or equal to ${String(schema['maxLength'])} characters`);
      }
    }
    if (hasKey(schema, 'pattern')) {
      const pattern = schema['pattern'] as string;
      if (!this.regex(pattern).test(value)) {
        fail(`${name} must match pattern ${pattern}`);
      }
    }
  }

  private checkArray(schema: JsonSchema, value: JsonValue[], name: string): void {
    if (schema['uniqueItems'] === true && new Set(value.map(itemKey)).size < value.length) {
      fail(`${name} must contain unique items`);
    }
    if (hasKey(schema, 'items')) {
      const items = schema['items'];
      if (!isPlainObject(items)) {
        throw new UnsupportedSchemaError('only one schema for all items is supported');
      }
      value.forEach((item, index) => this.check(items as JsonSchema, item, `${name}[${index}]`));
    }
  }

  private checkObject(schema: JsonSchema, value: { [key: string]: JsonValue }, name: string): void {
    if (hasKey(schema, 'required')) {
      const missing = (schema['required'] as string[]).filter(key => !hasKey(value, key));
      if (missing.length) {
        fail(`${name} must contain ${pythonRepr(missing.sort(compareCodePoints))} properties`);
      }
    }
    // The keys that no keyword has claimed yet, for additionalProperties.
    const unclaimed = new Set(Object.keys(value));
    const properties = (schema['properties'] ?? {}) as { [key: string]: JsonSchema };
    for (const key of Object.keys(properties)) {
      if (unclaimed.delete(key)) {
        this.check(properties[key], value[key], `${name}.${key}`);
      }
    }
    if (hasKey(schema, 'patternProperties')) {
      const patterns = Object.entries(schema['patternProperties'] as { [pattern: string]: JsonSchema });
      for (const [key, item] of Object.entries(value)) {
        for (const [pattern, itemSchema] of patterns) {
          if (this.regex(pattern).test(key)) {
            unclaimed.delete(key);
            this.check(itemSchema, item, `${name}.${key}`);
          }
        }
      }
    }
    const additional = schema['additionalProperties'];
    if (additional === false) {
      if (unclaimed.size) {
        const keys = [...unclaimed].sort(compareCodePoints).map(stringRepr);
        fail(`${name} must not contain {${keys.join(', ')}} properties`);
      }
    } else if (isPlainObject(additional) && Object.keys(additional).length) {
      // In the object's order.  (fastjsonschema takes them in the order of a
      // Python set, which changes from run to run, but the Python
      // implementation leaves it no more than one wrong MIME bundle entry to
      // name: the first in the object's order.)
      for (const key of unclaimed) {
        this.check(additional as JsonSchema, value[key], `${name}.${key}`);
      }
    }
  }

  private resolve(ref: string): JsonSchema {
    if (!ref.startsWith('#/')) {
      throw new UnsupportedSchemaError(`only references within the schema are supported: ${ref}`);
    }
    let node: unknown = this.root;
    for (const part of ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isPlainObject(node) || !hasKey(node, key)) {
        throw new UnsupportedSchemaError(`the reference ${ref} points nowhere`);
      }
      node = node[key];
    }
    return node as JsonSchema;
  }

  private regex(pattern: string): RegExp {
    let regex = this.patterns.get(pattern);
    if (regex === undefined) {
      regex = pythonRegex(pattern);
      this.patterns.set(pattern, regex);
    }
    return regex;
  }
}

function fail(message: string): never {
  throw new SchemaViolation(message);
}

type JsonNumber = number | bigint | PyFloat;

function isNumber(value: JsonValue): value is JsonNumber {
  return typeof value === 'number' || typeof value === 'bigint' || value instanceof PyFloat;
}

/** Python's verdict on `isinstance` for the JSON type (a bool is no number). */
function isOfType(value: JsonValue, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
    case 'number':
      return isNumber(value);
    case 'string':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    default:
      throw new UnsupportedSchemaError(`unknown type ${stringRepr(type)}`);
  }
}

function checkBounds(schema: JsonSchema, value: JsonNumber, name: string): void {
  if (hasKey(schema, 'minimum') && compareNumbers(value, schema['minimum'] as number) < 0) {
    fail(`${name} must be bigger than or equal to ${String(schema['minimum'])}`);
  }
  if (hasKey(schema, 'maximum') && compareNumbers(value, schema['maximum'] as number) > 0) {
    fail(`${name} must be smaller than or equal to ${String(schema['maximum'])}`);
  }
}

/** The sign of *value* - *bound*, exactly, as Python compares an int or float with an int; NaN is neither. */
function compareNumbers(value: JsonNumber, bound: number): number {
  if (!Number.isInteger(bound)) {
    throw new UnsupportedSchemaError('only whole numbers are supported as bounds');
  }
  if (typeof value === 'bigint') {
    const difference = value - BigInt(bound);
    return difference < 0n ? -1 : difference > 0n ? 1 : 0;
  }
  const number = value instanceof PyFloat ? value.value : value;
  return number < bound ? -1 : number > bound ? 1 : 0;
}

/** Whether *value* equals the enum's *option*, as fastjsonschema compares them. */
function matches(value: JsonValue, option: JsonValue): boolean {
  if (option === null || typeof option === 'boolean' || typeof option === 'string') {
    return value === option;
  }
  if (isNumber(option)) {
    return isNumber(value) && itemKey(value) === itemKey(option);
  }
  if (Array.isArray(option)) {
    return Array.isArray(value) && value.length === option.length && option.every((item, index) => matches(value[index], item));
  }
  return (
    isPlainObject(value) &&
    Object.keys(value).length === Object.keys(option).length &&
    Object.keys(option).every(key => hasKey(value, key) && matches(value[key], option[key]))
  );
}

/**
 * A key that two items share exactly when Python's uniqueItems check takes
 * them as equal: numbers by value (`1` and `1.0` alike), booleans apart from
 * numbers, objects whatever the order of their keys.  (`json.loads` makes
 * every NaN the same object, so NaNs are equal there too.)
 */
function itemKey(value: JsonValue): string {
  if (value === null || typeof value === 'boolean') {
    return String(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (isNumber(value)) {
    if (typeof value === 'bigint') {
      return `n${value}`;
    }
    const number = value instanceof PyFloat ? value.value : value;
    return Number.isInteger(number) ? `n${BigInt(number)}` : `n${number}`;
  }
  if (Array.isArray(value)) {
    return `[${value.map(itemKey).join(',')}]`;
  }
  const entries = Object.keys(value)
    .sort(compareCodePoints)
    .map(key => `${JSON.stringify(key)}:${itemKey(value[key])}`);
  return `{${entries.join(',')}}`;
}

/**
 * A JavaScript regular expression that finds what Python's `re.search` finds
 * with the schema's pattern, whose `$` fastjsonschema makes `\Z` (the very end).
 * JavaScript's `$` is the very end already; its `.` also refuses `\r`, U+2028
 * and U+2029, where Python's refuses only `\n`.
 */
export function pythonRegex(pattern: string): RegExp {
  let source = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index];
    if (character === '\\') {
      source += pattern.slice(index, index + 2);
      index++;
    } else if (inClass) {
      inClass = character !== ']';
      source += character;
    } else if (character === '[') {
      inClass = true;
      // A ']' first in a class is a character of it.
      const start = pattern.startsWith('[^', index) ? 2 : 1;
      const first = pattern[index + start] === ']' ? 1 : 0;
      source += pattern.slice(index, index + start) + (first ? '\\]' : '');
      index += start - 1 + first;
    } else {
      source += character === '.' ? '[^\\n]' : character;
    }
  }
  return new RegExp(source, 'u');
}
