// With GraphiQL off (the default over real providers), a browser opening /graphql would get 406 with an empty body:
// Yoga has no HTML to give and the browser asked for HTML. It gets a short page instead, saying what the endpoint is and
// how to send it a query. Nothing runs; the page names no source and no setting's value.
import type { Plugin } from 'graphql-yoga';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>invoice-gateway</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; line-height: 1.5">
<h1>invoice-gateway: GraphQL endpoint</h1>
<p>This is a GraphQL API. GraphiQL, the in-browser editor, is off on this gateway (<code>GATEWAY_GRAPHIQL=0</code>,
the default when real providers are configured).</p>
<p>Send a query as a JSON POST:</p>
<pre>curl -s THIS_URL -H 'Content-Type: application/json' -H 'Authorization: Bearer &lt;key&gt;' \\
  -d '{"query":"{ sources { name } }"}'</pre>
</body></html>
`;

/** Answers a browser's GET of the endpoint (no query in it) with a page saying how to use it; for GraphiQL off. */
export function useEndpointPage(endpoint: string): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || !request.headers.get('accept')?.includes('text/html')) return;
      if (url.pathname !== endpoint && url.pathname !== `${endpoint}/`) return;
      if (url.searchParams.has('query') || url.searchParams.has('documentId') || url.searchParams.has('extensions')) return;
      const body = PAGE.replace('THIS_URL', `${url.origin}${endpoint}`.replace(/[<>&'"]/g, ''));
      endResponse(new fetchAPI.Response(body, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } }));
    },
  };
}
