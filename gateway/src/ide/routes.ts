// A GraphQL IDE (GraphiQL) served from local packages: nothing loads from a CDN.
import type { Route } from '../../../common/http';
import { type PageAssets, pageAssetRoutes } from '../page-assets';

const ASSETS: PageAssets = {
  '/ide/graphiql.min.js': { module: 'graphiql/graphiql.min.js', type: 'text/javascript' },
  '/ide/graphiql.min.css': { module: 'graphiql/graphiql.min.css', type: 'text/css' },
  '/ide/react.production.min.js': { module: 'react/umd/react.production.min.js', type: 'text/javascript' },
  '/ide/react-dom.production.min.js': {
    module: 'react-dom/umd/react-dom.production.min.js',
    type: 'text/javascript',
  },
};

export function idePage(endpoint: string, defaultQuery: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Crossgate — regional GraphQL</title>
<link rel="stylesheet" href="/ide/graphiql.min.css">
<style>html,body,#ide{height:100%;margin:0}</style></head>
<body><div id="ide"></div>
<script src="/ide/react.production.min.js"></script>
<script src="/ide/react-dom.production.min.js"></script>
<script src="/ide/graphiql.min.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
  ReactDOM.createRoot(document.getElementById('ide')).render(
    React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(defaultQuery)} }));
</script></body></html>`;
}

export function ideRoutes(): Record<string, Route> {
  return pageAssetRoutes(__dirname, ASSETS);
}
