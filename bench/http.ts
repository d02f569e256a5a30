/** How the bench talks to a GraphQL server: single requests over keep-alive, and load with autocannon. */
import autocannon from 'autocannon';
import { Client } from 'undici';
import type { GraphQLRequest, GraphQLResponse } from './operations.js';

/** A keep-alive HTTP client posting JSON to one origin; anything but 200 throws. */
export function httpClient(origin: string) {
  const client = new Client(origin, { keepAliveTimeout: 60_000 });
  const post = async (path: string, body: string): Promise<string> => {
    const response = await client.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
    return text;
  };
  return { post, close: () => client.close() };
}

/** A GraphQL client of the endpoint `url`. */
export function graphClient(url: string) {
  const { origin, pathname } = new URL(url);
  const http = httpClient(origin);
  const sendText = (body: string) => http.post(pathname, body);
  const send = async (body: string) => JSON.parse(await sendText(body)) as GraphQLResponse;
  return { send, sendText, query: (request: GraphQLRequest) => send(JSON.stringify(request)), close: () => http.close() };
}

export interface LoadOptions {
  connections: number;
  durationS: number;
  /** When set, every answer whose body differs counts in `mismatches`. */
  expectBody?: string;
}

/** Posts `body` to `url` from `connections` connections for `durationS` seconds. */
export function load(url: string, body: string, options: LoadOptions): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: options.connections,
    duration: options.durationS,
    timeout: 30,
    ...(options.expectBody === undefined ? {} : { expectBody: options.expectBody }),
  });
}
