import { createHmac } from 'node:crypto';
import {
  requestSignatureHeader,
  signatureHeader,
  verifyRequestSignature,
  verifySignature,
} from '../../functions/shared/signature';

const SECRET = 'whsec_test_secret';
const OTHER_SECRET = 'whsec_previous_secret';
const BODY = '{"eventId":"evt-1"}';
const T = 1_700_000_000;
// Computed independently: printf '%s' '1700000000.{"eventId":"evt-1"}' | openssl dgst -sha256 -hmac whsec_test_secret
const EXPECTED_V1 = '5cfcd9f3816d8b4f600e4b7b987510ef0c7536d17fbc3bacb54759cd7f5aba1d';

const v1 = (header: string) => header.split(',v1=')[1] ?? '';

describe('signature', () => {
  describe('signatureHeader', () => {
    it('matches the known-answer vector computed with openssl', () => {
      expect(signatureHeader(BODY, SECRET, T)).toBe(`t=${T},v1=${EXPECTED_V1}`);
    });

    it('is the hex HMAC-SHA256 of "<t>.<raw body>" keyed with the secret', () => {
      const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`, 'utf8').digest('hex');

      expect(signatureHeader(BODY, SECRET, T)).toBe(`t=${T},v1=${expected}`);
    });

    it('signs a Buffer and the equal UTF-8 string alike', () => {
      const body = '{"givenName":"Zoë"}';

      expect(signatureHeader(Buffer.from(body, 'utf8'), SECRET, T)).toBe(signatureHeader(body, SECRET, T));
    });

    it('refuses a timestamp that is not whole seconds', () => {
      expect(() => signatureHeader(BODY, SECRET, 1_700_000_000.5)).toThrow(RangeError);
      expect(() => signatureHeader(BODY, SECRET, -1)).toThrow(RangeError);
    });
  });

  describe('verifySignature', () => {
    describe('when the header is valid', () => {
      it('accepts it', () => {
        expect(verifySignature(BODY, signatureHeader(BODY, SECRET, T), [SECRET], T)).toEqual({ valid: true });
      });

      it('accepts the raw body given as a Buffer', () => {
        const header = signatureHeader(BODY, SECRET, T);

        expect(verifySignature(Buffer.from(BODY), header, [SECRET], T)).toEqual({ valid: true });
      });

      it('accepts an uppercase hex digest and spaces after the commas', () => {
        const header = `t=${T}, v1=${EXPECTED_V1.toUpperCase()}`;

        expect(verifySignature(BODY, header, [SECRET], T)).toEqual({ valid: true });
      });
    });

    describe('when the timestamp is far from now', () => {
      it.each([
        ['300 s old', T + 300],
        ['300 s ahead', T - 300],
      ])('accepts a signature %s', (_label, now) => {
        expect(verifySignature(BODY, signatureHeader(BODY, SECRET, T), [SECRET], now)).toEqual({
          valid: true,
        });
      });

      it.each([
        ['301 s old', T + 301],
        ['301 s ahead', T - 301],
      ])('rejects a signature %s as expired', (_label, now) => {
        expect(verifySignature(BODY, signatureHeader(BODY, SECRET, T), [SECRET], now)).toEqual({
          valid: false,
          problem: 'expired',
        });
      });
    });

    describe('when the body is not the signed bytes', () => {
      it('rejects a tampered body', () => {
        const header = signatureHeader(BODY, SECRET, T);

        expect(verifySignature('{"eventId":"evt-2"}', header, [SECRET], T)).toEqual({
          valid: false,
          problem: 'invalid',
        });
      });

      it('rejects a signature over the re-serialised JSON', () => {
        const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
        const compactHeader = signatureHeader(JSON.stringify(JSON.parse(pretty)), SECRET, T);

        expect(verifySignature(pretty, compactHeader, [SECRET], T)).toEqual({
          valid: false,
          problem: 'invalid',
        });
        expect(verifySignature(BODY, signatureHeader(pretty, SECRET, T), [SECRET], T)).toEqual({
          valid: false,
          problem: 'invalid',
        });
      });

      it('rejects a timestamp changed after signing', () => {
        const header = signatureHeader(BODY, SECRET, T).replace(`t=${T}`, `t=${T + 1}`);

        expect(verifySignature(BODY, header, [SECRET], T)).toEqual({ valid: false, problem: 'invalid' });
      });
    });

    describe('when the signature uses another scheme or shape', () => {
      const sha1 = createHmac('sha1', SECRET).update(`${T}.${BODY}`).digest('hex');

      it.each([
        ['a v0 entry only', `t=${T},v0=${EXPECTED_V1}`],
        ['a SHA-1 length digest', `t=${T},v1=${sha1}`],
        ['a truncated digest', `t=${T},v1=${EXPECTED_V1.slice(0, 62)}`],
        ['a digest one byte too long', `t=${T},v1=${EXPECTED_V1}00`],
        ['a non-hex digest', `t=${T},v1=${'z'.repeat(64)}`],
        ['an empty v1', `t=${T},v1=`],
        ['no v1', `t=${T}`],
        ['no t', `v1=${EXPECTED_V1}`],
        ['two t entries', `t=${T},t=${T},v1=${EXPECTED_V1}`],
        ['a non-numeric t', `t=${T}abc,v1=${EXPECTED_V1}`],
        ['a negative t', `t=-${T},v1=${EXPECTED_V1}`],
        ['a bare word', 'garbage'],
      ])('rejects %s as invalid', (_label, header) => {
        expect(verifySignature(BODY, header, [SECRET], T)).toEqual({ valid: false, problem: 'invalid' });
      });

      it('ignores an unknown scheme next to a valid v1', () => {
        const header = `t=${T},v0=deadbeef,v1=${EXPECTED_V1}`;

        expect(verifySignature(BODY, header, [SECRET], T)).toEqual({ valid: true });
      });
    });

    describe('when the header is missing', () => {
      it.each([
        ['absent', undefined],
        ['empty', ''],
        ['blank', '  '],
      ])('rejects an %s header as missing', (_label, header) => {
        expect(verifySignature(BODY, header, [SECRET], T)).toEqual({ valid: false, problem: 'missing' });
      });
    });

    describe('when the header was sent twice (API Gateway joins them with a comma)', () => {
      it('rejects it because it then carries two t entries', () => {
        const header = `${signatureHeader(BODY, SECRET, T)},${signatureHeader(BODY, SECRET, T)}`;

        expect(verifySignature(BODY, header, [SECRET], T)).toEqual({ valid: false, problem: 'invalid' });
      });
    });

    describe('when secrets are being rotated', () => {
      it('accepts a signature made with any configured secret', () => {
        const secrets = [SECRET, OTHER_SECRET];

        expect(verifySignature(BODY, signatureHeader(BODY, SECRET, T), secrets, T)).toEqual({ valid: true });
        expect(verifySignature(BODY, signatureHeader(BODY, OTHER_SECRET, T), secrets, T)).toEqual({
          valid: true,
        });
      });

      it('accepts several v1 entries when any one of them matches', () => {
        const stale = v1(signatureHeader(BODY, 'whsec_retired', T));
        const header = `t=${T},v1=${stale},v1=${v1(signatureHeader(BODY, OTHER_SECRET, T))}`;

        expect(verifySignature(BODY, header, [SECRET, OTHER_SECRET], T)).toEqual({ valid: true });
      });

      it('rejects a signature made with a secret that is no longer configured', () => {
        const header = signatureHeader(BODY, 'whsec_retired', T);

        expect(verifySignature(BODY, header, [SECRET, OTHER_SECRET], T)).toEqual({
          valid: false,
          problem: 'invalid',
        });
      });

      it('rejects every signature when no secret is configured', () => {
        expect(verifySignature(BODY, signatureHeader(BODY, SECRET, T), [], T)).toEqual({
          valid: false,
          problem: 'invalid',
        });
      });
    });
  });

  describe('signing a bodiless request (GET /events/{eventId})', () => {
    const PATH = '/events/evt-1';
    // Computed independently: printf '%s' '1700000000.GET./events/evt-1' | openssl dgst -sha256 -hmac whsec_test_secret
    const GET_V1 = 'f7363e0de4db7db07ca1eb0f1101204e3b974fca6349064f5029fc14139be37b';
    const header = requestSignatureHeader('GET', PATH, SECRET, T);

    it('matches the known-answer vector of "<t>.GET.<path>" computed with openssl', () => {
      expect(header).toBe(`t=${T},v1=${GET_V1}`);
    });

    it('accepts the same method and path', () => {
      expect(verifyRequestSignature('GET', PATH, header, [SECRET], T)).toEqual({ valid: true });
    });

    it.each([
      ['another method', 'POST', PATH],
      ['another eventId', 'GET', '/events/evt-2'],
      ['another route', 'GET', '/hires/evt-1'],
      ['the path decoded differently', 'GET', '/events/evt%2D1'],
      ['the path with a query string', 'GET', `${PATH}?x=1`],
    ])('rejects it for %s as invalid', (_label, method, path) => {
      expect(verifyRequestSignature(method, path, header, [SECRET], T)).toEqual({
        valid: false,
        problem: 'invalid',
      });
    });

    it('rejects it as expired 301 s later, as a body signature', () => {
      expect(verifyRequestSignature('GET', PATH, header, [SECRET], T + 301)).toEqual({
        valid: false,
        problem: 'expired',
      });
    });

    it('accepts it under any configured secret while secrets rotate, and none once retired', () => {
      const previous = requestSignatureHeader('GET', PATH, OTHER_SECRET, T);

      expect(verifyRequestSignature('GET', PATH, previous, [SECRET, OTHER_SECRET], T)).toEqual({
        valid: true,
      });
      expect(verifyRequestSignature('GET', PATH, previous, [SECRET], T)).toEqual({
        valid: false,
        problem: 'invalid',
      });
    });

    it('is missing when absent, like a body signature', () => {
      expect(verifyRequestSignature('GET', PATH, undefined, [SECRET], T)).toEqual({
        valid: false,
        problem: 'missing',
      });
    });

    it('never verifies as a body signature, nor a body signature as it', () => {
      const bodyHeader = signatureHeader(PATH, SECRET, T);

      expect(verifySignature(PATH, header, [SECRET], T)).toEqual({ valid: false, problem: 'invalid' });
      expect(verifyRequestSignature('GET', PATH, bodyHeader, [SECRET], T)).toEqual({
        valid: false,
        problem: 'invalid',
      });
    });
  });
});
