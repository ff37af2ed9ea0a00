// Redaction of the log lines: a field named like a credential, at the top of a line or one or two levels down
// (`authorization`, `headers.cookie`, `req.headers.x-api-key`), is written as `[redacted]`. A walk of those levels costs
// about a microsecond per line where pino's path-based redaction cost ~45 µs (bench/peers' profile): the request log
// writes one line per request. The logged object is never changed: the objects on the way to a secret are copied.

const CENSOR = '[redacted]';
/** How many levels below the line's top the walk looks (the top is level 0). */
const DEPTH = 2;

/**
 * Copies `value` keeping its prototype and every own property (an Error's message and stack included), each made
 * configurable so that a secret held by a getter, a frozen object or a read-only property can be replaced in the copy.
 */
function copyOf(value: object): Record<string, unknown> {
  const descriptors = Object.getOwnPropertyDescriptors(value) as Record<PropertyKey, PropertyDescriptor>;
  for (const key of Reflect.ownKeys(descriptors)) descriptors[key as string].configurable = true;
  return Object.defineProperties(Object.create(Object.getPrototypeOf(value)), descriptors);
}

/** Sets `key` of a copy as a plain data property (the copied one may be an accessor or read-only). */
function replace(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

function redactLevel(value: Record<string, unknown>, secret: ReadonlySet<string>, level: number): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  // Inherited enumerable properties too: pino's error serializer and JSON of some objects write them.
  for (const key in value) {
    const field = value[key];
    let replaced: unknown = field;
    if (secret.has(key)) replaced = CENSOR;
    else if (level < DEPTH && field !== null && typeof field === 'object') replaced = redactLevel(field as Record<string, unknown>, secret, level + 1);
    if (replaced !== field) {
      out ??= Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : copyOf(value);
      replace(out, key, replaced);
    }
  }
  return out ?? value;
}

/** A redactor of the given field names: answers the object itself when it carries none of them, else a redacted copy. */
export function createSecretRedactor(fields: readonly string[]): <T extends Record<string, unknown>>(object: T) => T {
  const secret = new Set(fields);
  return <T extends Record<string, unknown>>(object: T) => redactLevel(object, secret, 0) as T;
}
