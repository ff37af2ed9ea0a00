// What a MockAgent interceptor saw of a request, flattened so tests can assert it.

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Headers in any of the shapes undici hands an interceptor, as a lower-case record. */
export function headersOf(raw: unknown): Record<string, string> {
  const flat: Record<string, string> = {};
  if (!raw) return flat;
  if (raw instanceof Headers) raw.forEach((value, key) => (flat[key.toLowerCase()] = value));
  else if (Array.isArray(raw)) for (let i = 0; i < raw.length; i += 2) flat[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
  else for (const [key, value] of Object.entries(raw as Record<string, string>)) flat[key.toLowerCase()] = String(value);
  return flat;
}

/** The request an interceptor's reply callback receives, recorded. */
export function recordRequest(opts: { method?: string; path: string; headers?: unknown; body?: unknown }): RecordedRequest {
  return {
    method: opts.method ?? 'GET',
    path: opts.path,
    headers: headersOf(opts.headers),
    body: typeof opts.body === 'string' ? opts.body : '',
  };
}
