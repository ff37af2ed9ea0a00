// Where a request's credential is: `Authorization: Bearer <key or token>` or `X-API-Key: <key>`.

export type Credential = { kind: 'bearer' | 'api-key'; value: string };

/** The credential a request carries, `undefined` when none, or `malformed` for an Authorization header we cannot read. */
export function readCredential(headers: Headers): Credential | undefined | 'malformed' {
  const apiKey = headers.get('x-api-key');
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    if (!match) return 'malformed';
    return { kind: 'bearer', value: match[1] };
  }
  if (apiKey !== null) return apiKey.trim() ? { kind: 'api-key', value: apiKey.trim() } : 'malformed';
  return undefined;
}

/** True when a bearer value has the shape of a compact JWS (three base64url parts), so it is verified as a JWT. */
export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
}
