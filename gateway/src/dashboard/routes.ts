// The workforce-flows dashboard: a page, its script, echarts from node_modules, and CSV export.
// Page and export read the public GraphQL endpoint, so its authentication and limits apply.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLError } from 'graphql';
import { type Route, sendJson } from '../../../common/http';
import { flowRequestFromSearch, flowsCsv, flowsQuery } from './csv';

const ASSETS: Record<string, { file: () => string; type: string }> = {
  '/dashboard': { file: () => join(__dirname, 'assets', 'index.html'), type: 'text/html' },
  '/dashboard/app.js': { file: () => join(__dirname, 'assets', 'app.js'), type: 'text/javascript' },
  '/dashboard/app.css': { file: () => join(__dirname, 'assets', 'app.css'), type: 'text/css' },
  '/dashboard/echarts.min.js': {
    file: () => require.resolve('echarts/dist/echarts.min.js'),
    type: 'text/javascript',
  },
};

/** Headers of the browser's request that carry its identity to the GraphQL endpoint. */
const FORWARDED = ['authorization', 'cookie', 'x-request-id'];

export function dashboardRoutes(graphqlUrl: () => string): Record<string, Route> {
  const routes: Record<string, Route> = {};
  for (const [path, asset] of Object.entries(ASSETS)) {
    let body: Buffer | undefined;
    routes[path] = (_req, res) => {
      body ??= readFileSync(asset.file());
      res.setHeader('content-type', `${asset.type}; charset=utf-8`);
      res.setHeader('cache-control', path.endsWith('.min.js') ? 'public, max-age=86400' : 'no-cache');
      res.end(body);
    };
  }
  routes['/dashboard/flows.csv'] = async (req, res) => {
    let request: ReturnType<typeof flowRequestFromSearch>;
    try {
      request = flowRequestFromSearch(new URL(req.url ?? '/', 'http://localhost').searchParams);
    } catch (e) {
      return sendJson(res, 400, {
        errors: [{ message: (e as Error).message, extensions: (e as GraphQLError).extensions }],
      });
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const h of FORWARDED) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const answer = await fetch(graphqlUrl(), {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: flowsQuery(request.view), variables: request.variables }),
    });
    const payload = (await answer.json()) as {
      data?: { workforceFlows?: unknown } | null;
      errors?: unknown[];
    };
    const report = payload.data?.workforceFlows;
    if (!report) return sendJson(res, Math.max(answer.status, 400), { errors: payload.errors ?? [] });
    if (payload.errors?.length) res.setHeader('x-crossgate-partial', 'true');
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="workforce-flows-${request.view}.csv"`);
    res.end(flowsCsv(report as Parameters<typeof flowsCsv>[0], request.view));
  };
  return routes;
}
