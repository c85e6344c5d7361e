import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { gunzipSync } from 'node:zlib';
import { sendJsonBytes } from './sendJsonBytes';

const mockGzipCalls = jest.fn();
jest.mock('node:zlib', () => {
  const zlib = jest.requireActual('node:zlib');
  return {
    ...zlib,
    gzip: (...args: unknown[]) => {
      mockGzipCalls();
      return zlib.gzip(...args);
    },
  };
});

/** A kept page: the same Buffer answers every request, as the team page's kept text does. */
const page = Buffer.from(
  JSON.stringify({
    members: Array.from({ length: 200 }, (_, i) => ({ ref: `user:${i}` })),
  }),
);
const small = Buffer.from('{"ok":true}');

/** The answer's bytes as they came over the wire (supertest would decode the gzip). */
async function rawGet(server: express.Express, path: string, encoding: string) {
  const listening = server.listen(0);
  await new Promise(resolve => listening.once('listening', resolve));
  try {
    const { port } = listening.address() as AddressInfo;
    return await new Promise<{
      status?: number;
      headers: http.IncomingHttpHeaders;
      body: Buffer;
    }>((resolve, reject) => {
      http
        .get({ port, path, headers: { 'Accept-Encoding': encoding } }, res => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
        })
        .on('error', reject);
    });
  } finally {
    listening.close();
  }
}

function app() {
  const server = express();
  server.get('/page', (req, res) => sendJsonBytes(req, res, page));
  server.get('/small', (req, res) => sendJsonBytes(req, res, small));
  return server;
}

describe('sendJsonBytes', () => {
  beforeEach(() => mockGzipCalls.mockClear());

  it('gzips a kept page once for every client that accepts gzip, with the ETag of its JSON', async () => {
    const server = app();
    const first = await rawGet(server, '/page', 'gzip, deflate, br');
    const again = await request(server)
      .get('/page')
      .set('Accept-Encoding', 'gzip');

    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    expect(first.headers.vary).toContain('Accept-Encoding');
    expect(gunzipSync(first.body).equals(page)).toBe(true);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.body).toEqual(JSON.parse(page.toString()));
    expect(mockGzipCalls).toHaveBeenCalledTimes(1);
  });

  it('sends the JSON as it is to a client that does not accept gzip, and small bodies to everyone', async () => {
    const server = app();
    const identity = await request(server)
      .get('/page')
      .set('Accept-Encoding', 'identity');
    const refused = await request(server)
      .get('/page')
      .set('Accept-Encoding', 'gzip;q=0');
    const tiny = await request(server)
      .get('/small')
      .set('Accept-Encoding', 'gzip');

    for (const answer of [identity, refused, tiny])
      expect(answer.headers['content-encoding']).toBeUndefined();
    expect(identity.body).toEqual(JSON.parse(page.toString()));
    expect(Number(identity.headers['content-length'])).toBe(page.length);
    expect(tiny.body).toEqual({ ok: true });
    expect(mockGzipCalls).not.toHaveBeenCalled();
  });

  it('answers a matching If-None-Match with 304, gzipped or not', async () => {
    const server = app();
    const { headers } = await request(server).get('/page');

    for (const encoding of ['gzip', 'identity']) {
      const answer = await request(server)
        .get('/page')
        .set('Accept-Encoding', encoding)
        .set('If-None-Match', headers.etag);
      expect(answer.status).toBe(304);
    }
  });
});
