import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * The Host names the local stack answers: loopback names and addresses, with any port. Any other
 * Host is a page that had its own name resolve to 127.0.0.1 (DNS rebinding) or a request meant for
 * someone else; either way it must not read secrets, emails or state from here.
 */
const LOOPBACK_HOST = /^(localhost|127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}|\[::1\])(:\d{1,5})?$/i;

/** Why a request's Host header is refused, or undefined when it names loopback. */
export function foreignHost(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (host !== undefined && LOOPBACK_HOST.test(host)) return undefined;
  return `Host ${JSON.stringify(host ?? '')} is not a loopback name: the local stack answers localhost, 127.0.0.0/8 and [::1] only`;
}

/**
 * Why a state-changing request is refused (415 not JSON, 403 cross-site), or undefined when it is a JSON request from
 * this origin (or from no browser at all): a page elsewhere can send a "simple" cross-site POST
 * (text/plain, form data) without a preflight, never one with Content-Type application/json.
 */
export function crossSiteRequest(
  headers: IncomingHttpHeaders,
): { status: 415 | 403; message: string } | undefined {
  const type = headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return { status: 415, message: 'Only application/json requests are accepted' };
  }
  const origin = headers.origin;
  const site = headers['sec-fetch-site'];
  const sameOrigin = origin === undefined || origin === `http://${headers.host}`;
  if (!sameOrigin || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
    return { status: 403, message: 'Cross-site requests are refused' };
  }
  return undefined;
}

/** A request body over the limit its server sets; nothing past the limit was buffered. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The whole body of a request, at most `limit` bytes: a Content-Length over it is refused before a
 * byte is read, and a body that grows past it (chunked) is refused as soon as it does. The rest of
 * an oversized body is drained unbuffered, so the answer can still be sent.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const refuse = () => {
      req.removeAllListeners('data');
      req.resume();
      reject(new BodyTooLargeError(limit));
    };
    if (Number(req.headers['content-length'] ?? 0) > limit) return refuse();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) refuse();
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
