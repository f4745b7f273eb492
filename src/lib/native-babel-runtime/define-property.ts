/**
 * Stands in for `@babel/runtime-corejs3/helpers/esm/defineProperty` (see BUNDLE_ALIASES in
 * src/cli/bundle-aliases.ts), Babel's class-field helper, with the runtime's own
 * `Object.defineProperty` instead of core-js's. Same semantics: an existing key is redefined as a
 * plain data property, a new one assigned.
 */
export default function defineProperty<T extends object>(object: T, key: PropertyKey, value: unknown): T {
  if (key in object) Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  else (object as Record<PropertyKey, unknown>)[key] = value;
  return object;
}
