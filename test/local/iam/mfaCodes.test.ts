import { inflateSync } from 'node:zlib';
import { qrCodePng } from '../../../local/iam/qrCode';
import { areConsecutiveCodes, base32Decode, base32Encode, hotp, totp } from '../../../local/iam/totp';

/** RFC 6238 appendix B's SHA-1 seed, "12345678901234567890", in base32. */
const RFC_SEED = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

describe('TOTP', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('gives the last six digits of RFC 6238 test vector at T=%i', (seconds, code) => {
    expect(totp(RFC_SEED, seconds * 1000)).toBe(code);
  });

  it('gives the RFC 4226 appendix D HOTP values', () => {
    const key = Buffer.from('12345678901234567890', 'ascii');
    expect([0, 1, 2, 9].map((counter) => hotp(key, counter))).toEqual([
      '755224',
      '287082',
      '359152',
      '520489',
    ]);
  });

  it('encodes base32 as RFC 4648 section 10 does, without padding, and decodes it back', () => {
    expect(['f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map((s) => base32Encode(Buffer.from(s)))).toEqual([
      'MY',
      'MZXQ',
      'MZXW6',
      'MZXW6YQ',
      'MZXW6YTB',
      'MZXW6YTBOI',
    ]);
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
  });

  it('accepts two consecutive codes, the later within two steps back or one ahead, and nothing else', () => {
    const at = (step: number) => totp(RFC_SEED, step * 30_000);
    const now = 1000 * 30_000 + 5_000;

    expect(areConsecutiveCodes(RFC_SEED, at(999), at(1000), now)).toBe(true);
    expect(areConsecutiveCodes(RFC_SEED, at(1000), at(1001), now)).toBe(true);
    expect(areConsecutiveCodes(RFC_SEED, at(997), at(998), now)).toBe(true);
    expect(areConsecutiveCodes(RFC_SEED, at(996), at(997), now)).toBe(false);
    expect(areConsecutiveCodes(RFC_SEED, at(1001), at(1002), now)).toBe(false);
    expect(areConsecutiveCodes(RFC_SEED, at(1000), at(999), now)).toBe(false);
    expect(areConsecutiveCodes(RFC_SEED, at(998), at(1000), now)).toBe(false);
  });
});

/**
 * A reader of the QR codes CreateVirtualMFADevice returns, written from ISO/IEC 18004 for this
 * test: PNG to modules, format information (BCH-checked, both copies), unmasking, the zigzag,
 * de-interleaving, Reed-Solomon syndromes and byte-mode data.
 */
function readQr(png: Buffer): { version: number; level: string; text: string } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let width = 0;
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      expect([...data.subarray(8, 13)]).toEqual([8, 0, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(idat));
  const dark = (px: number, py: number) => pixels[py * (width + 1) + 1 + px] === 0;
  // The finder's top edge: the first dark row, its run of dark pixels is 7 modules wide.
  let top = 0;
  while (![...Array(width).keys()].some((px) => dark(px, top))) top++;
  let left = 0;
  while (!dark(left, top)) left++;
  let run = 0;
  while (dark(left + run, top)) run++;
  const scale = run / 7;
  const size = Math.round((width - 2 * left) / scale);
  const module = (x: number, y: number) =>
    dark(left + x * scale + Math.floor(scale / 2), top + y * scale + Math.floor(scale / 2));
  const version = (size - 17) / 4;

  // Format information: 15 bits, BCH(15,5) with generator 0x537, XOR 0x5412, twice.
  const copy1 = [0, 1, 2, 3, 4, 5, 7, 8]
    .map((y) => module(8, y))
    .concat([7, 5, 4, 3, 2, 1, 0].map((x) => module(x, 8)));
  const copy2 = [...Array(8).keys()]
    .map((i) => module(size - 1 - i, 8))
    .concat([...Array(7).keys()].map((i) => module(8, size - 7 + i)));
  const toNumber = (bits: boolean[]) => bits.reduce((n, b, i) => n | (Number(b) << i), 0);
  expect(toNumber(copy2)).toBe(toNumber(copy1));
  const format = toNumber(copy1) ^ 0x5412;
  let remainder = format >>> 10;
  for (let i = 0; i < 10; i++) remainder = (remainder << 1) ^ ((remainder >>> 9) * 0x537);
  expect(((format >>> 10) << 10) | (remainder & 0x3ff)).toBe(format);
  const level = ['M', 'L', 'H', 'Q'][format >>> 13] ?? '?';
  const mask = (format >>> 10) & 7;

  // Function modules, from the standard's alignment table (versions 1-10 suffice here).
  const ALIGNMENT: Record<number, number[]> = {
    1: [],
    2: [6, 18],
    3: [6, 22],
    4: [6, 26],
    5: [6, 30],
    6: [6, 34],
    7: [6, 22, 38],
    8: [6, 24, 42],
    9: [6, 26, 46],
    10: [6, 28, 50],
  };
  const centres = ALIGNMENT[version] ?? [];
  const isFunction = (x: number, y: number) =>
    x === 6 ||
    y === 6 ||
    (x < 9 && y < 9) ||
    (x >= size - 8 && y < 9) ||
    (x < 9 && y >= size - 8) ||
    (version >= 7 &&
      ((x >= size - 11 && x < size - 8 && y < 6) || (y >= size - 11 && y < size - 8 && x < 6))) ||
    centres.some((cy, i) =>
      centres.some(
        (cx, j) =>
          !(
            (i === 0 && j === 0) ||
            (i === 0 && j === centres.length - 1) ||
            (i === centres.length - 1 && j === 0)
          ) &&
          Math.abs(x - cx) <= 2 &&
          Math.abs(y - cy) <= 2,
      ),
    );
  const MASKS = [
    (x: number, y: number) => (x + y) % 2 === 0,
    (_x: number, y: number) => y % 2 === 0,
    (x: number) => x % 3 === 0,
    (x: number, y: number) => (x + y) % 3 === 0,
    (x: number, y: number) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
    (x: number, y: number) => ((x * y) % 2) + ((x * y) % 3) === 0,
    (x: number, y: number) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
    (x: number, y: number) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
  ];
  const bits: number[] = [];
  let upward = true;
  for (let right = size - 1; right > 0; right -= 2) {
    if (right === 6) right = 5;
    for (let i = 0; i < size; i++) {
      const y = upward ? size - 1 - i : i;
      for (const x of [right, right - 1]) {
        if (!isFunction(x, y)) bits.push(Number(module(x, y) !== (MASKS[mask]?.(x, y) ?? false)));
      }
    }
    upward = !upward;
  }
  const codewords: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8)
    codewords.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));

  // Level M block structure (ISO/IEC 18004 table 9) for the versions these tests produce.
  const BLOCKS: Record<number, { blocks: number; data: number; ecc: number }> = {
    1: { blocks: 1, data: 16, ecc: 10 },
    7: { blocks: 4, data: 31, ecc: 18 },
  };
  const layout = BLOCKS[version];
  if (!layout || level !== 'M') throw new Error(`no block table for version ${version}-${level}`);
  const blocks = [...Array(layout.blocks)].map((_, b) =>
    [...Array(layout.data + layout.ecc)].map((__, i) => codewords[i * layout.blocks + b] ?? -1),
  );
  // Every block is a codeword of the Reed-Solomon code: zero syndromes at a^0..a^(ecc-1).
  const exp = [1];
  for (let i = 1; i < 255; i++) exp.push(((exp[i - 1] ?? 0) << 1) ^ ((exp[i - 1] ?? 0) & 0x80 ? 0x11d : 0));
  const log = new Array<number>(256).fill(0);
  exp.forEach((value, i) => {
    log[value] = i;
  });
  const mul = (a: number, b: number) =>
    a === 0 || b === 0 ? 0 : (exp[((log[a] ?? 0) + (log[b] ?? 0)) % 255] ?? 0);
  for (const block of blocks) {
    for (let i = 0; i < layout.ecc; i++) {
      const syndrome = block.reduce((acc, c) => mul(acc, exp[i] ?? 0) ^ c, 0);
      expect(syndrome).toBe(0);
    }
  }
  const data = blocks.flatMap((block) => block.slice(0, layout.data));
  const stream = data.flatMap((byte) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (byte >>> i) & 1));
  const read = (from: number, length: number) =>
    stream.slice(from, from + length).reduce((a, b) => (a << 1) | b, 0);
  expect(read(0, 4)).toBe(0b0100);
  const count = read(4, 8);
  const bytes = [...Array(count)].map((_, i) => read(12 + 8 * i, 8));
  return { version, level, text: Buffer.from(bytes).toString('utf8') };
}

describe('qrCodePng', () => {
  it.each([
    ['a short text, in a version 1 symbol', 'HELLO WORLD', 1],
    [
      'an otpauth URI with a 64-character seed, in a version 7 symbol',
      `otpauth://totp/ada-phone@000000000000?secret=${'JBSWY3DPEHPK3PXP'.repeat(4)}`,
      7,
    ],
  ])('encodes %s that reads back at level M', (_case, text, version) => {
    expect(readQr(qrCodePng(text))).toEqual({ version, level: 'M', text });
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7])('reads back with mask pattern %i', (mask) => {
    const text = `otpauth://totp/ada-phone@000000000000?secret=${'GEZDGNBVGY3TQOJQ'.repeat(4)}`;
    expect(readQr(qrCodePng(text, { mask }))).toEqual({ version: 7, level: 'M', text });
  });
});
