// The low-cardinality form of an upstream path for span names and attributes: `/invoices/{id}`, never a raw id.

// A path segment that reads as a word (`Invoices`, `batch-get`, `oauth2`) is part of the route; anything else is an id.
const WORD = /^[A-Za-z][A-Za-z-]{0,30}\d?$/;

/** The route template of a call: the adapter's own when it gave one, else the path with id-like segments replaced. */
export function routeTemplate(path: string, declared?: string): string {
  if (declared) return declared;
  const bare = path.split('?')[0];
  return bare
    .split('/')
    .map((segment) => (segment === '' || WORD.test(segment) ? segment : '{id}'))
    .join('/');
}
