import { Type, type TSchema, type TUnsafe } from 'typebox';

/**
 * A string limited to a few values, declared as JSON Schema `enum` (not a union of constants) so
 * a wrong value gets one error that lists every supported value.
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** `T | null`, the reference's `anyOf: [T, {type: null}]`. */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}
