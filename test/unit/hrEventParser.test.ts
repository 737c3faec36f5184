import fc from 'fast-check';
import { canonicalJson, parseHrEvent, rawBody } from '../../functions/shared/hrEventParser';
import engineeringHire from '../fixtures/events/engineering-hire.json';

const parse = (value: unknown) => parseHrEvent(Buffer.from(JSON.stringify(value)));

describe('hrEventParser', () => {
  describe('rawBody', () => {
    it('decodes base64 to the bytes that were sent', () => {
      const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d, 0xff]);

      expect(rawBody(bytes.toString('base64'), true)).toEqual(bytes);
    });

    it('reads a missing body as no bytes', () => {
      expect(rawBody(undefined, false)).toHaveLength(0);
    });
  });

  describe('parseHrEvent', () => {
    it('returns the event when it is valid', () => {
      expect(parse(engineeringHire)).toEqual({ event: engineeringHire });
    });

    it('names unknown keys as JSON Pointers, escaping "~" and "/"', () => {
      const result = parse({ ...engineeringHire, 'a/b': 1, '~c': 2 });

      expect(result).toEqual({
        errors: [
          { field: '/a~1b', message: 'is not allowed' },
          { field: '/~0c', message: 'is not allowed' },
        ],
      });
    });

    it('refuses a control character anywhere in a name, even where a letter is required', () => {
      const result = parse({
        ...engineeringHire,
        employee: { ...engineeringHire.employee, givenName: '\u0000' },
      });

      expect(result).toEqual({ errors: [{ field: '/employee/givenName', message: expect.any(String) }] });
    });
  });

  describe('canonicalJson', () => {
    it('sorts keys at every depth', () => {
      expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: null } })).toBe(
        '{"a":{"c":null,"d":[{"e":2,"f":1}]},"b":1}',
      );
    });

    it('is the same text for any key order and parses back to the same value', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const reordered: unknown = JSON.parse(JSON.stringify(value), (_key, item: unknown) =>
            item !== null && typeof item === 'object' && !Array.isArray(item)
              ? Object.fromEntries(Object.entries(item).reverse())
              : item,
          );

          expect(canonicalJson(reordered)).toBe(canonicalJson(value));
          expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
        }),
      );
    });
  });
});
