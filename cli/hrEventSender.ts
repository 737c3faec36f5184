import { isIPv4 } from 'node:net';
import { requestSignatureHeader, signatureHeader } from '../functions/shared/signature';
import { CliError } from './errors';

/** The webhook's route for employee.hired events. */
export const HIRES_PATH = '/hires';
/** The route that takes every HR event type; `GET /events/{eventId}` reads one's status back. */
export const EVENTS_PATH = '/events';

export type HrEventRequest = {
  /** The webhook's base URL (`http://127.0.0.1:3000`, an API Gateway stage URL), or, without `path`, the whole URL. */
  url: string;
  /** The route the event goes to: EVENTS_PATH, or HIRES_PATH for a hire. */
  path?: string;
  /** The event exactly as sent: these bytes are signed. */
  body: string | Buffer;
  /** A webhook signing secret. */
  secret: string;
  /** More headers, after the signed ones (tests send wrong content types or signatures). */
  headers?: Record<string, string>;
};

export type HrEventResponse = {
  status: number;
  statusText: string;
  ok: boolean;
  text: string;
  /** The answer parsed, when it is JSON. */
  json?: unknown;
};

/** `content-type` and the `Onboarding-Signature` of `body`, signed at `nowMs` (functions/shared/signature.ts). */
export function signedHeaders(
  body: string | Buffer,
  secret: string,
  nowMs = Date.now(),
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'onboarding-signature': signatureHeader(body, secret, Math.floor(nowMs / 1000)),
  };
}

/**
 * Signs an HR event and POSTs it to the webhook, as the HR system does. The signature goes only
 * where it was meant to: https anywhere, plain http only to loopback (refused before anything is
 * sent), and a redirect is never followed (a 3xx is an error naming its Location). Throws a
 * CliError for those and when the webhook cannot be reached; any HTTP answer is returned.
 */
export async function sendHrEvent(request: HrEventRequest): Promise<HrEventResponse> {
  const url = targetUrl(request.url, request.path);
  return signedFetch(url, {
    method: 'POST',
    headers: { ...signedHeaders(request.body, request.secret), ...request.headers },
    body: request.body,
  });
}

export type EventStatusRequest = {
  /** The webhook's base URL (`http://127.0.0.1:3000`, an API Gateway stage URL). */
  url: string;
  /** The HR event's eventId, as in the event. */
  eventId: string;
  secret: string;
  /** Tests: sign this path instead of the one sent (a signature made for another eventId). */
  signedPath?: string;
  /** More headers, after the signed one. */
  headers?: Record<string, string>;
};

/**
 * The path of an event's status: `/events/<eventId>`. A valid eventId (`[A-Za-z0-9][A-Za-z0-9._:-]*`)
 * goes as it is, since a path carries all of those characters unencoded (and API Gateway's HTTP APIs
 * hand Lambda the decoded path, which is what is signed); anything else is percent-encoded.
 */
export function eventStatusPath(eventId: string): string {
  const plain = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(eventId);
  return `${EVENTS_PATH}/${plain ? eventId : encodeURIComponent(eventId)}`;
}

/**
 * GET /events/{eventId}, signed over `<t>.GET./events/<eventId>` with the eventId as it is, not
 * percent-encoded: the path Lambda gets (functions/shared/signature.ts). The same rules as
 * {@link sendHrEvent}: https, or http to loopback only, never a redirect.
 */
export async function getEventStatus(
  request: EventStatusRequest,
  nowMs = Date.now(),
): Promise<HrEventResponse> {
  const path = eventStatusPath(request.eventId);
  const url = targetUrl(request.url, path);
  const t = Math.floor(nowMs / 1000);
  const signed = request.signedPath ?? `${EVENTS_PATH}/${request.eventId}`;
  const signature = requestSignatureHeader('GET', signed, request.secret, t);
  return signedFetch(url, {
    method: 'GET',
    headers: { 'onboarding-signature': signature, ...request.headers },
  });
}

/** A signed request, sent once: a redirect is refused, not followed; a network failure is a CliError. */
async function signedFetch(url: URL, init: RequestInit): Promise<HrEventResponse> {
  const response = await fetch(url, { ...init, redirect: 'manual' }).catch((error: Error) => {
    // fetch's TypeError says only "fetch failed"; its cause (not an Error of this realm under jest) says why.
    const cause: unknown = error.cause;
    const reason =
      typeof cause === 'object' && cause !== null && 'message' in cause
        ? String(cause.message)
        : error.message;
    throw new CliError(`Cannot reach ${url.href}: ${reason}`);
  });
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    const location = response.headers.get('location') ?? 'no Location';
    throw new CliError(
      `${url.href} answered ${response.status} ${response.statusText}, a redirect to ${location}: not followed, the signed request was not sent again. Use the webhook's own URL.`,
    );
  }
  const text = await response.text();
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    text,
    json: parseJson(text),
  };
}

/** The URL to send to, refused unless it is https, or http to a loopback host. */
function targetUrl(url: string, path: string | undefined): URL {
  let target: URL;
  try {
    target = new URL(path === undefined ? url : `${url.replace(/\/+$/, '')}${path}`);
  } catch {
    throw new CliError(`Not a URL: ${url}`);
  }
  if (target.protocol === 'https:') return target;
  if (target.protocol === 'http:' && isLoopback(target.hostname)) return target;
  throw new CliError(
    target.protocol === 'http:'
      ? `Refusing to send a signed event over plain http to ${target.host}: use https, or http only to loopback (localhost, 127.0.0.0/8, [::1]).`
      : `Refusing to send a signed event over ${target.protocol}: use https (or http to loopback).`,
  );
}

/** localhost, 127.0.0.0/8 or ::1, as WHATWG URL spells a hostname (lower case, IPv4 normalised, IPv6 in brackets). */
export function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  return isIPv4(hostname) && hostname.startsWith('127.');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
