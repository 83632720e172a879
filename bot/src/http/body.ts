import type { IncomingMessage } from 'node:http';

/**
 * Reading a request body ourselves instead of restify's bodyParser: it pipes `Content-Encoding:
 * gzip` through a Gunzip stream with no error handler (one request with a broken body killed the
 * process), counts compressed bytes against the limit (a gzip bomb), hands multipart uploads to
 * disk, and puts parser messages in its error bodies. Bot Framework sends small, uncompressed
 * UTF-8 JSON, so that is all we accept.
 */

export interface BodyRefusal { status: 400 | 413 | 415; code: string; message: string }
export type BodyResult = { ok: true; body: unknown } | { ok: false; refusal: BodyRefusal };

const refuse = (status: BodyRefusal['status'], code: string, message: string): BodyResult => ({ ok: false, refusal: { status, code, message } });

/** Header checks, before a byte of the body is read (and before the token check). */
export function jsonHeaderProblem(headers: IncomingMessage['headers'], maxBytes: number): BodyRefusal | null {
  const encoding = (headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    return { status: 415, code: 'UnsupportedEncoding', message: 'request bodies must not be compressed (Content-Encoding: identity)' };
  }
  const type = (headers['content-type'] ?? '').toLowerCase();
  const m = /^application\/json\s*(?:;\s*charset\s*=\s*"?([\w-]+)"?\s*)?$/.exec(type.trim());
  if (!m || (m[1] && m[1] !== 'utf-8' && m[1] !== 'utf8')) {
    return { status: 415, code: 'UnsupportedMediaType', message: 'the body must be JSON (Content-Type: application/json; charset=utf-8)' };
  }
  const length = headers['content-length'];
  if (length !== undefined && Number(length) > maxBytes) {
    return { status: 413, code: 'PayloadTooLarge', message: `the body must be at most ${maxBytes} bytes` };
  }
  return null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Reads and parses the body, stopping at `maxBytes` (chunked bodies included). */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (r: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop buffering; the caller answers 413 and closes the connection (the rest is never read).
        chunks.length = 0;
        finish(refuse(413, 'PayloadTooLarge', `the body must be at most ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', () => finish(refuse(400, 'BadRequest', 'the body could not be read')));
    req.once('aborted', () => finish(refuse(400, 'BadRequest', 'the request was aborted')));
    req.once('end', () => {
      if (settled) return;
      let text: string;
      try {
        text = utf8.decode(Buffer.concat(chunks));
      } catch {
        finish(refuse(400, 'BadRequest', 'the body is not valid UTF-8'));
        return;
      }
      if (!text.trim()) {
        finish(refuse(400, 'BadRequest', 'the body is empty'));
        return;
      }
      try {
        // A "__proto__" key would replace an object's prototype wherever the activity is copied by
        // assignment: such keys are dropped while parsing (only when present: a reviver costs time).
        const body = text.includes('"__proto__"') ? JSON.parse(text, (k, v: unknown) => (k === '__proto__' ? undefined : v)) as unknown : JSON.parse(text) as unknown;
        finish({ ok: true, body });
      } catch {
        finish(refuse(400, 'BadRequest', 'the body is not valid JSON'));
      }
    });
    req.resume();
  });
}
