/**
 * The admin API's one ajv instance, strict about types: a JSON body's `"500"` is not an
 * amount. Path and query values arrive as strings, so those alone are converted to their
 * schema's scalar type first (`limit=20` → 20). Defaults fill in. Validators are compiled
 * once per schema and cached.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { ValidationError } from '../errors/index.js';
import type { JsonSchema } from './route.js';

const ajv = new Ajv({ coerceTypes: false, useDefaults: true, allErrors: false, strict: false });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/**
 * Validates `value` (mutating it with coercions and defaults) against `schema`.
 *
 * @throws ValidationError naming the failing field and the reason
 */
export function validateInput(schema: JsonSchema | undefined, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  if (!schema) return value;
  if (where !== 'body') convertStrings(schema, value as Record<string, unknown>);
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

/** Converts string values of `target` to the integer, number or boolean its schema names. */
function convertStrings(schema: JsonSchema, target: Record<string, unknown>): void {
  const props = (schema.properties ?? {}) as Record<string, { type?: unknown }>;
  for (const [name, value] of Object.entries(target)) {
    const type = props[name]?.type;
    if (typeof value !== 'string') continue;
    if ((type === 'integer' || type === 'number') && /^-?[0-9]+(\.[0-9]+)?$/.test(value)) target[name] = Number(value);
    else if (type === 'boolean' && (value === 'true' || value === 'false')) target[name] = value === 'true';
  }
}

