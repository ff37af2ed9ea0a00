// GraphiQL, built once per process: the page (9 MB, its scripts inlined so it works offline) is rendered on the first
// visit, compressed once per encoding (off the event loop, on first use), and served with an ETag so a browser revalidates
// it with a 304 instead of downloading it again.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Plugin } from 'graphql-yoga';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export interface GraphiQLPageOptions {
  title: string;
  defaultQuery?: string;
  /** The GraphQL endpoint's path; the page is served on GET with `Accept: text/html`. */
  endpoint: string;
}

type Encoding = 'br' | 'gzip' | 'identity';

function preferredEncoding(acceptEncoding: string | null): Encoding {
  const accepted = (acceptEncoding ?? '')
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, q]) => !q || !/^\s*q=0(\.0*)?\s*$/.test(q))
    .map(([name]) => name.toLowerCase());
  if (accepted.includes('br')) return 'br';
  if (accepted.includes('gzip')) return 'gzip';
  return 'identity';
}

/** Serves the GraphiQL page from one build; replaces Yoga's own GraphiQL, which renders the page per request. */
export function useGraphiQLPage(options: GraphiQLPageOptions): Plugin {
  // Built on the first visit, not at start: a gateway nobody browses never holds the page.
  let page: { html: Buffer; etag: string; bodies: Map<Encoding, Promise<Buffer>> } | undefined;
  const build = () => {
    const html = Buffer.from(renderGraphiQL({ title: options.title, defaultQuery: options.defaultQuery }), 'utf8');
    const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
    return { html, etag, bodies: new Map<Encoding, Promise<Buffer>>([['identity', Promise.resolve(html)]]) };
  };
  const bodyFor = (encoding: Encoding): Promise<Buffer> => {
    page ??= build();
    const { html, bodies } = page;
    let body = bodies.get(encoding);
    if (!body) {
      body =
        encoding === 'br'
          ? brotli(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: html.length } })
          : gzipAsync(html);
      bodies.set(encoding, body);
    }
    return body;
  };

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || !request.headers.get('accept')?.includes('text/html')) return;
      if (url.pathname !== options.endpoint && url.pathname !== `${options.endpoint}/`) return;
      page ??= build();
      const encoding = preferredEncoding(request.headers.get('accept-encoding'));
      // One tag per encoding (each is its own representation); any of them proves the client holds this page.
      const tagOf = (e: Encoding) => (e === 'identity' ? page!.etag : page!.etag.replace(/"$/, `-${e}"`));
      const etag = tagOf(encoding);
      const headers: Record<string, string> = {
        'content-type': 'text/html; charset=utf-8',
        etag,
        // Cached, but revalidated: a new build (a new example query) is seen at once, an unchanged page costs a 304.
        'cache-control': 'no-cache',
        vary: 'Accept-Encoding',
      };
      const ifNoneMatch = request.headers.get('if-none-match');
      const ours = new Set((['identity', 'gzip', 'br'] as const).map(tagOf));
      if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => ours.has(tag.trim().replace(/^W\//, '')))) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      const body = await bodyFor(encoding);
      if (encoding !== 'identity') headers['content-encoding'] = encoding;
      headers['content-length'] = String(body.length);
      endResponse(new fetchAPI.Response(body as unknown as BodyInit, { status: 200, headers }));
    },
  };
}
