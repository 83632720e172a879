import zlib from 'node:zlib';

/** The largest body the bot reads (bytes); one more is refused. */
export const BODY_LIMIT = 256 * 1024;

export interface EdgeCase {
  name: string;
  request: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string; chunks?: (Buffer | string)[] };
  /** The status (or statuses) it must get; every case must get less than 500. */
  expect?: number | number[];
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const MULTIPART = '--grens\r\nContent-Disposition: form-data; name="bestand"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhallo\r\n--grens--\r\n';

/** An activity padded (in a field nobody reads) to exactly `bytes` bytes of JSON. */
export function paddedTo(activity: Record<string, unknown>, bytes: number): string {
  const empty = JSON.stringify({ ...activity, padding: '' });
  const fill = bytes - Buffer.byteLength(empty);
  if (fill < 0) throw new Error('the activity is larger than the size asked for');
  return JSON.stringify({ ...activity, padding: 'x'.repeat(fill) });
}

/** Every content type, encoding, size and transfer the edge must survive, for every route. */
export function edgeCases(valid: Record<string, unknown>): EdgeCase[] {
  const json = JSON.stringify(valid);
  const out: EdgeCase[] = [];
  const types: [string, Buffer | string][] = [
    ['application/x-www-form-urlencoded', 'type=message&text=hallo'],
    [`multipart/form-data; boundary=grens`, MULTIPART],
    ['text/xml', '<activity><type>message</type></activity>'],
    ['application/xml', '<?xml version="1.0"?><a/>'],
    ['image/png', PNG],
    ['application/jsonp', `callback(${json})`],
    ['text/plain', json],
    ['application/octet-stream', json],
    ['application/json; charset=iso-8859-1', json],
    ['application/json-patch+json', json],
    ['', json],
  ];
  const encodings: [string, Buffer | string][] = [
    ['gzip', 'dit is geen gzip'],
    ['gzip', zlib.gzipSync(json)],
    ['deflate', 'ook geen deflate'],
    ['deflate', zlib.deflateSync(json)],
    ['br', zlib.brotliCompressSync(json)],
    ['gzip, identity', json],
    ['compress', json],
    ['x-gzip', zlib.gzipSync(json)],
  ];
  const routes: { method: string; path: string }[] = [
    { method: 'POST', path: '/api/messages' }, { method: 'GET', path: '/healthz' }, { method: 'GET', path: '/readyz' },
    { method: 'GET', path: '/api/results' }, { method: 'GET', path: '/api/results.csv?team=19%3Aabc&lang=xx' }, { method: 'GET', path: '/api/results/details?team=19%3Aabc' }, { method: 'GET', path: '/tab/' },
    { method: 'POST', path: '/healthz' }, { method: 'PUT', path: '/api/messages' }, { method: 'POST', path: '/api/results' }, { method: 'GET', path: '/bestaat/niet' },
  ];
  for (const r of routes) {
    const isMessages = r.method === 'POST' && r.path === '/api/messages';
    for (const [type, body] of types) {
      out.push({ name: `${r.method} ${r.path} as ${type || 'no content type'}`, request: { ...r, headers: type ? { 'content-type': type } : {}, body }, expect: isMessages ? 415 : undefined });
    }
    for (const [encoding, body] of encodings) {
      out.push({
        name: `${r.method} ${r.path} with Content-Encoding ${encoding}`,
        request: { ...r, headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body }, expect: isMessages ? 415 : undefined,
      });
    }
    for (const body of ['{not json', '', ' ', 'null', '[1,2,3]', '"hallo"', '42', '\u00ff\u00fe', Buffer.from([0xff, 0xfe, 0x00, 0x41]), '{"type":"message"}']) {
      out.push({ name: `${r.method} ${r.path} with the JSON body ${JSON.stringify(String(body)).slice(0, 30)}`, request: { ...r, headers: { 'content-type': 'application/json' }, body }, expect: isMessages ? 400 : undefined });
    }
  }
  // Sizes and transfers, for the one route that reads a body.
  const m = { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json; charset=utf-8' } };
  out.push(
    { name: 'a valid activity, plain', request: { ...m, body: json }, expect: 200 },
    { name: 'a valid activity of exactly the limit', request: { ...m, body: paddedTo(valid, BODY_LIMIT) }, expect: 200 },
    { name: 'a valid activity one byte under the limit', request: { ...m, body: paddedTo(valid, BODY_LIMIT - 1) }, expect: 200 },
    { name: 'one byte over the limit', request: { ...m, body: paddedTo(valid, BODY_LIMIT + 1) }, expect: 413 },
    { name: 'a megabyte', request: { ...m, body: paddedTo(valid, 1024 * 1024) }, expect: 413 },
    { name: 'chunked, valid', request: { ...m, chunks: chunk(json, 7) }, expect: 200 },
    { name: 'chunked, one byte under the limit', request: { ...m, chunks: chunk(paddedTo(valid, BODY_LIMIT - 1), 4096) }, expect: 200 },
    { name: 'chunked, over the limit (no Content-Length to refuse early)', request: { ...m, chunks: chunk(paddedTo(valid, BODY_LIMIT + 4096), 4096) }, expect: 413 },
    { name: 'chunked, not JSON', request: { ...m, chunks: ['{"type":', '"message"', ', kapot'] }, expect: 400 },
    { name: 'Content-Length above the limit, refused before reading', request: { ...m, headers: { ...m.headers, 'content-length': String(BODY_LIMIT + 1) }, body: 'x'.repeat(BODY_LIMIT + 1) }, expect: 413 },
    { name: 'a UTF-8 BOM before the JSON', request: { ...m, body: `\ufeff${json}` }, expect: [200, 400] },
    { name: 'broken UTF-8 inside a string', request: { ...m, body: Buffer.concat([Buffer.from('{"type":"message","text":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]) }, expect: 400 },
    { name: 'JSON nested 100,000 levels', request: { ...m, body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` }, expect: 400 },
    { name: 'an object with 10,000 keys', request: { ...m, body: JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))) }, expect: 400 },
  );
  return out;
}

function chunk(s: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < s.length; i += size) parts.push(s.slice(i, i + size));
  return parts;
}
