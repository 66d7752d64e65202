// The workforce-flows dashboard: a page, its script, echarts from node_modules, and CSV export.
// Page and export read the public GraphQL endpoint, so its authentication and limits apply.
import { join } from 'node:path';
import type { GraphQLError } from 'graphql';
import { type Route, sendJson } from '../../../common/http';
import { type PageAssets, pageAssetRoutes } from '../page-assets';
import { flowRequestFromSearch, flowsCsv, flowsQuery } from './csv';

const ASSETS: PageAssets = {
  '/dashboard': { file: 'index.html', type: 'text/html' },
  '/dashboard/app.js': { file: 'app.js', type: 'text/javascript' },
  '/dashboard/app.css': { file: 'app.css', type: 'text/css' },
  '/dashboard/echarts.min.js': { module: 'echarts/dist/echarts.min.js', type: 'text/javascript' },
};

/** Headers of the browser's request that carry its identity to the GraphQL endpoint. */
const FORWARDED = ['authorization', 'cookie', 'x-request-id'];

export function dashboardRoutes(graphqlUrl: () => string): Record<string, Route> {
  const routes = pageAssetRoutes(join(__dirname, 'assets'), ASSETS);
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
