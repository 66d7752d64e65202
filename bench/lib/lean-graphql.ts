// A lean GraphQL HTTP endpoint (node:http + graphql-js, documents parsed and validated once per text);
// GET /calls answers how many requests it has served.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DocumentNode, execute, type GraphQLSchema, parse, validate } from 'graphql';

export interface LeanServer {
  url: string;
  close(): Promise<void>;
}

export async function serveLean(
  schema: GraphQLSchema,
  port: number,
  host = '127.0.0.1',
): Promise<LeanServer> {
  const documents = new Map<string, DocumentNode | Error>();
  const documentOf = (text: string): DocumentNode | Error => {
    let doc = documents.get(text);
    if (doc) return doc;
    try {
      const parsed = parse(text);
      const problems = validate(schema, parsed);
      doc = problems.length > 0 ? new Error(problems.map((p) => p.message).join('; ')) : parsed;
    } catch (e) {
      doc = e as Error;
    }
    if (documents.size < 1000) documents.set(text, doc);
    return doc;
  };
  let calls = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/calls') {
      res.end(String(calls));
      return;
    }
    calls++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      res.setHeader('content-type', 'application/json');
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          query: string;
          variables?: Record<string, unknown>;
        };
        const doc = documentOf(body.query);
        if (doc instanceof Error) {
          res.statusCode = 400;
          res.end(JSON.stringify({ errors: [{ message: doc.message }] }));
          return;
        }
        const result = await execute({ schema, document: doc, variableValues: body.variables });
        res.end(JSON.stringify(result));
      } catch (e) {
        res.statusCode = 400;
        res.end(JSON.stringify({ errors: [{ message: (e as Error).message }] }));
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/graphql`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
