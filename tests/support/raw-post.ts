// A POST straight to a server, past the gateway, as an attacker or a member would send it: the
// status, the text and the parsed GraphQL answer. undici's request, not fetch, so a test may set Host.
import { request } from 'undici';

export interface RawAnswer {
  status: number;
  text: string;
  json: {
    data?: unknown;
    errors?: { message: string; extensions: Record<string, unknown> }[];
  };
}

export async function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<RawAnswer> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, text, json: JSON.parse(text) as RawAnswer['json'] };
}
