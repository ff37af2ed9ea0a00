// What a token endpoint's error answer means (RFC 6749 section 5.2), for every grant: the app's own credentials refused
// is an authorization failure; any other error code is the server refusing a request the gateway composed. A refused
// grant (`invalid_grant`) is the refresh-token source's own case (oauth-grants.ts), as only a new consent cures it.
import { AdapterError } from './errors.js';

/** The error for a token endpoint's refusal: HTTP `status` with the OAuth `error` code it named (if any). */
export function tokenEndpointRefusal(source: string, status: number, errorCode: string | undefined): AdapterError {
  const code = (errorCode ?? '').slice(0, 40);
  const credentialRefused = status === 401 || status === 403 || code === 'invalid_client' || code === 'unauthorized_client';
  return new AdapterError(
    credentialRefused ? 'UPSTREAM_UNAUTHORIZED' : 'UPSTREAM_REJECTED',
    `${source}'s authorization server refused the request (${code || `HTTP ${status}`})`,
    { source, status, retryable: false },
  );
}
