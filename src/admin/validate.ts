/**
 * The admin API's one ajv instance. Path and query values arrive as strings and are
 * coerced to the schema's types (`limit=20` → 20); defaults fill in. Validators are
 * compiled once per schema and cached by ajv.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { ValidationError } from '../errors/index.js';
import type { JsonSchema } from './route.js';

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: false, strict: false });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/**
 * Validates `value` (mutating it with coercions and defaults) against `schema`.
 *
 * @throws ValidationError naming the failing field and the reason
 */
export function validateInput(schema: JsonSchema | undefined, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  if (!schema) return value;
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return value;
  const e = validate.errors![0];
  const missing = e.params && 'missingProperty' in e.params ? String(e.params.missingProperty) : '';
  const extra = e.params && 'additionalProperty' in e.params ? String(e.params.additionalProperty) : '';
  const field = [e.instancePath.slice(1).replace(/\//g, '.'), missing || extra].filter(Boolean).join('.') || where;
  throw new ValidationError(`${field}: ${extra ? 'is not allowed' : e.message}`, field);
}

/** `{ a: {..} }` → an object schema with those properties, no others, `required` as given. */
export function objectSchema(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false };
}
