/**
 * Deep capture of workers, the checks both browsers share (test/e2e/workers.test.ts in Chromium,
 * test/firefox/workers.test.ts in Firefox): what a worker's socket script does, and that each worker's
 * socket reached the panel as a worker's, with its frames both ways and the worker script as its frame URL.
 */
import { expect } from 'vitest';
import type { ConnectionSnapshot } from '../../src/store/automation';
import type { TestServer } from '../fixtures/server';
import { until, type Evaluates } from './harness';

/** A worker script's socket: a text and a binary message to the echo, then `done()` once both came back. */
export const workerSocket = (from: string, done: string) => `
  const s = new WebSocket('/echo?from=${from}');
  s.binaryType = 'arraybuffer';
  let got = 0;
  s.onopen = () => { s.send('${from} says hi'); s.send(new Uint8Array([1, 2, 3])); };
  s.onmessage = () => { if (++got === 2) ${done}; };`;

/** Each worker (`froms`, scripts `${dir}/${from}.js`) has its socket in the panel as a worker's, frames both ways; returns them. */
export async function expectWorkerSockets(
  conns: () => Promise<ConnectionSnapshot[]>, server: TestServer, dir: string, froms: string[],
): Promise<ConnectionSnapshot[]> {
  const all = await until(async () => {
    const listed = (await conns()).filter((c) => c.url.includes('from='));
    return listed.length === froms.length && listed.every((c) => c.framesOut === 2 && c.framesIn === 2) ? listed : null;
  }, `the ${froms.length} worker sockets with their frames`, 10_000).catch(async (e: unknown) => {
    throw new Error(`${String(e)}: ${JSON.stringify((await conns()).map((c) => [c.url, c.source, c.frameUrl, c.framesOut, c.framesIn]))}`);
  });
  for (const from of froms) {
    const c = all.find((x) => x.url.includes(`from=${from}`))!;
    expect(c).toMatchObject({ source: 'worker', resolvedUrl: `${server.wsOrigin}/echo?from=${from}`, frameUrl: `${server.origin}/${dir}/${from}.js` });
    expect(c.url).toBe(`/echo?from=${from}`);
    expect(c.network).toBeUndefined();
  }
  const paths = froms.map((from) => `/echo?from=${from}`);
  expect(server.transcripts.filter((t) => paths.includes(t.path)).map((t) => t.path).sort()).toEqual([...paths].sort());
  return all;
}

/**
 * Off: no worker's socket is in the panel. A socket of the page's own is opened after the workers echoed:
 * once it is listed, a worker's would have been too.
 */
export async function expectNoWorkerSockets(conns: () => Promise<ConnectionSnapshot[]>, tab: Evaluates): Promise<void> {
  await tab.evaluate(() => { new WebSocket('/echo?marker').onopen = (e) => (e.target as WebSocket).send('marker'); });
  const listed = await until(async () => {
    const all = await conns();
    return all.some((c) => c.url.includes('marker') && c.framesIn === 1) ? all : null;
  }, 'the marker socket echoed', 10_000);
  expect(listed.filter((c) => c.url.includes('from='))).toEqual([]);
}
