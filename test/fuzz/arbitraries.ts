import fc from 'fast-check';

/**
 * fast-check arbitraries for requests to POST /hires: valid hires, hires mutated field by field, JSON
 * text mutated byte by byte, random JSON and random bytes; content types; signature headers from
 * well signed to garbage. Shared by test/unit/webhookFuzz.test.ts (short run) and
 * scripts/fuzz-webhook.ts (long run).
 */

/** How the Onboarding-Signature header is made; the fuzzer builds it from the final body bytes. */
export type SignatureSpec =
  | { kind: 'absent' }
  | { kind: 'raw'; header: string }
  | { kind: 'signed'; secret: 'current' | 'previous' | string; offset: number; tamper: Tamper };

/** Ways to spoil a good signature (or, for `spaces` and `uppercase`, to vary it harmlessly). */
export const TAMPERS = [
  'duplicateHeader',
  'v0',
  'uppercase',
  'spaces',
  'dropHexDigit',
  'flipHexDigit',
  'sha1',
  'extraV1',
  'extraV0',
  'dropT',
  'twoT',
  'bodyAlone',
  'reserialised',
] as const;
export type Tamper = 'none' | (typeof TAMPERS)[number];

/** What Step Functions already holds for the event's execution name. */
export type Existing = 'none' | 'same' | 'other';

export type WebhookCase = {
  body: string | Uint8Array;
  base64: boolean;
  contentType: string | undefined;
  signature: SignatureSpec;
  existing: Existing;
  extraHeaders: Record<string, string>;
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Hire = { [key: string]: Json };

const TOP_FIELDS = ['eventId', 'type', 'occurredAt', 'employee'] as const;
const EMPLOYEE_FIELDS = [
  'id',
  'givenName',
  'familyName',
  'workEmail',
  'department',
  'jobTitle',
  'managerEmail',
  'personalEmail',
  'startDate',
] as const;
const INJECTED_FIELDS = [
  'groups',
  'policies',
  'path',
  'permissionsBoundary',
  'userName',
  'copyFrom',
  'tags',
  'prototype',
  'constructor',
  '__proto__',
] as const;
/** Strings that have broken parsers, validators and mailers before. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u00a0',
  'Ada\u0000',
  'Ada\u0085',
  '\u001b[31mAda',
  'Ada\r\nBcc: eve@example.com',
  'ada@example.com\r\n',
  'Ada <ada@example.com>',
  '"Ada" <ada@example.com>',
  'ada@example.com,eve@example.com',
  '2026-02-30',
  '2026-13-01',
  'tomorrow',
  '2025-03-03T09:15:00',
  '2025-03-03T24:00:00Z',
  'employee.updated',
  'evt 1',
  'e'.repeat(129),
  'L'.repeat(101),
  'L'.repeat(65),
  `${'L'.repeat(5000)}\n`,
  '🚀'.repeat(100),
  '🚀'.repeat(101),
  "O'Brien",
  '../../admin/',
  '__proto__',
  'constructor',
  '\ud800',
  '\u202eevil',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style lookup, on purpose
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  'Robert"); DROP TABLE users;--',
] as const;

const graphemeName = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 });
const name = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'Ada',
      'Lovelace',
      'ADA',
      'Zoë',
      "O'Brien",
      '李',
      '👩🏽‍💻',
      'Jean-Luc',
      'AC/DC',
    ),
  },
  { weight: 2, arbitrary: graphemeName },
  { weight: 1, arbitrary: fc.constantFrom('L'.repeat(64), 'L'.repeat(65), 'L'.repeat(100), ' Ada ') },
);
const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]([a-z0-9._+-]{0,15}[a-z0-9])?$/),
    fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/),
    fc.constantFrom('com', 'org', 'example', 'io'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const department = fc.constantFrom(
  'Engineering',
  'engineering',
  'Finance',
  'Internal Audit',
  ' Finance ',
  'Marketing',
);
const jobTitle = fc.constantFrom(
  'Software Engineer',
  'Site Reliability Engineer',
  'Accountant',
  'site reliability engineer',
);
const day = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2100-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const occurredAt = fc.oneof(
  { weight: 6, arbitrary: day.map((d) => d.toISOString()) },
  { weight: 2, arbitrary: day.map((d) => d.toISOString().replace('Z', '+02:00')) },
  { weight: 1, arbitrary: day.map((d) => d.toISOString().slice(0, 19)) },
);
const passwordRecipient = fc.oneof(
  email.map((managerEmail) => ({ managerEmail })),
  email.map((personalEmail) => ({ personalEmail })),
  fc.tuple(email, email).map(([managerEmail, personalEmail]) => ({ managerEmail, personalEmail })),
);

/** An employee.hired event that is valid, or nearly (the oracle, not the generator, decides). */
export const hireEvent: fc.Arbitrary<Hire> = fc
  .record({
    eventId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,60}$/),
    occurredAt,
    id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/),
    givenName: name,
    familyName: name,
    workEmail: email,
    department,
    jobTitle: fc.option(jobTitle, { nil: undefined }),
    recipient: passwordRecipient,
    startDate: fc.option(
      day.map((d) => d.toISOString().slice(0, 10)),
      { nil: undefined },
    ),
  })
  .map(({ eventId, occurredAt, recipient, jobTitle, startDate, ...person }) => ({
    eventId,
    type: 'employee.hired',
    occurredAt,
    employee: {
      ...person,
      ...recipient,
      ...(jobTitle === undefined ? {} : { jobTitle }),
      ...(startDate === undefined ? {} : { startDate }),
    },
  }));

type Path = readonly ['top', string] | readonly ['employee', string];
const fieldPath: fc.Arbitrary<Path> = fc.oneof(
  fc.constantFrom(...TOP_FIELDS).map((field) => ['top', field] as const),
  fc.constantFrom(...EMPLOYEE_FIELDS).map((field) => ['employee', field] as const),
);
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({
    unit: fc.constantFrom('\u0000', '\n', '\r', '\t', '\u007f', '\u0085', ' ', 'a', '@', '.', '"', '\\'),
  }),
  fc.constantFrom(...NASTY_STRINGS),
);
const anyKey = fc.oneof(fc.constantFrom(...INJECTED_FIELDS), fc.string({ maxLength: 12 }));

/** Sets a property even when it is `__proto__`, so that it reaches the JSON text. */
function put(target: Hire, key: string, value: Json | undefined): void {
  if (value === undefined) delete target[key];
  else Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

type Mutation = (hire: Hire) => void;
const at =
  ([where, field]: Path, value: Json | undefined): Mutation =>
  (hire) => {
    const employee = hire.employee;
    if (where === 'top') put(hire, field, value);
    else if (employee !== null && typeof employee === 'object' && !Array.isArray(employee))
      put(employee, field, value);
  };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fieldPath.map((path) => at(path, undefined)),
  fc
    .tuple(fc.constantFrom('top', 'employee'), anyKey, fc.jsonValue({ maxDepth: 2 }))
    .map(([where, key, value]) => at([where, key] as Path, value as Json)),
  fc.tuple(fieldPath, fc.jsonValue({ maxDepth: 2 })).map(([path, value]) => at(path, value as Json)),
  fc.tuple(fieldPath, anyString).map(([path, value]) => at(path, value)),
);

/** A hire with one to three fields dropped, added, retyped or replaced by odd strings. */
export const mutatedHireEvent: fc.Arbitrary<Hire> = fc
  .tuple(hireEvent, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([hire, mutations]) => {
    const copy = structuredClone(hire);
    for (const mutate of mutations) mutate(copy);
    return copy;
  });

const indentation = fc.constantFrom(undefined, 2, '\t');
const json = (value: unknown, indent: number | string | undefined) => JSON.stringify(value, null, indent);

/** Edits of a valid hire's JSON text: repeated or reserved keys, truncation, a stray character. */
const textMutation: fc.Arbitrary<string> = fc
  .tuple(
    hireEvent.map((hire) => JSON.stringify(hire)),
    fc.nat(),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }),
    fc.constantFrom(
      'duplicate',
      'nestedDuplicate',
      'proto',
      'escapedProto',
      'constructor',
      'truncate',
      'delete',
      'insert',
      'replace',
    ),
  )
  .map(([text, position, char, edit]) => {
    const i = position % (text.length + 1);
    switch (edit) {
      case 'duplicate':
        return text.replace('{', '{"eventId":"evt-duplicate",');
      case 'nestedDuplicate':
        return text.replace('"employee":{', '"employee":{"department":"Finance",');
      case 'proto':
        return text.replace('{', '{"__proto__":{"groups":["Admins"]},');
      case 'escapedProto':
        return text.replace('"employee":{', '"employee":{"\\u005f_proto__":{},');
      case 'constructor':
        return text.replace('{', '{"constructor":{"prototype":{}},');
      case 'truncate':
        return text.slice(0, i);
      case 'delete':
        return text.slice(0, i) + text.slice(i + 1);
      case 'insert':
        return text.slice(0, i) + char + text.slice(i);
      default:
        return text.slice(0, i) + char + text.slice(i + char.length);
    }
  });

const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('array', 'object', 'jobTitle'))
  .map(([depth, shape]) => {
    if (shape === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
    if (shape === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    return JSON.stringify({ jobTitle: 'X' }).replace('"X"', `${'['.repeat(depth)}"X"${']'.repeat(depth)}`);
  });

/** Valid hires padded with spaces to around the 64 KiB limit. */
const nearLimit = fc
  .tuple(hireEvent, fc.integer({ min: 65_533, max: 65_539 }))
  .map(([hire, bytes]) => JSON.stringify(hire).padEnd(bytes, ' '));

/** Every kind of body, valid hires most often so that the 202 path is exercised too. */
export const body: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(hireEvent, indentation).map(([hire, indent]) => json(hire, indent)) },
  {
    weight: 5,
    arbitrary: fc.tuple(mutatedHireEvent, indentation).map(([hire, indent]) => json(hire, indent)),
  },
  { weight: 3, arbitrary: textMutation },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? '') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  {
    weight: 1,
    arbitrary: hireEvent.map((hire) =>
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(hire))]),
    ),
  },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: nearLimit },
);

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON;charset=UTF-8',
      'application/json; charset="utf-8"',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      '',
      'application/json; charset=iso-8859-1',
      'application/jsonx',
      'application/json,application/json',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-8; v=1',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const offset = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: -300, max: 300 }) },
  { weight: 2, arbitrary: fc.constantFrom(-301, -300, 300, 301) },
  { weight: 1, arbitrary: fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }) },
);
const tamper: fc.Arbitrary<Tamper> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('none' as const) },
  { weight: 3, arbitrary: fc.constantFrom(...TAMPERS) },
);
const junkHeader = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc
    .tuple(
      fc.integer(),
      fc.stringMatching(/^[0-9a-fA-F]{0,70}$/),
      fc.constantFrom('v1', 'v0', 'V1', 'sha256'),
    )
    .map(([t, hex, scheme]) => `t=${t},${scheme}=${hex}`),
);

export const signature: fc.Arbitrary<SignatureSpec> = fc.oneof(
  {
    weight: 16,
    arbitrary: fc.record({
      kind: fc.constant('signed' as const),
      secret: fc.constantFrom('current', 'previous'),
      offset,
      tamper,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('signed' as const),
      secret: fc.string({ minLength: 1, maxLength: 20 }),
      offset,
      tamper: fc.constant('none' as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'absent' as const }) },
  { weight: 1, arbitrary: junkHeader.map((header) => ({ kind: 'raw' as const, header })) },
);

const extraHeaders = fc.dictionary(
  fc.oneof(
    fc.stringMatching(/^[a-z][a-z-]{0,15}$/),
    fc.constantFrom('x-forwarded-for', 'content-length', 'user-agent'),
  ),
  fc.string({ maxLength: 40 }),
  { maxKeys: 3 },
);

/** One request to the webhook and the state of Step Functions it meets. */
export const webhookCase: fc.Arbitrary<WebhookCase> = fc.record({
  body,
  base64: fc.boolean(),
  contentType,
  signature,
  existing: fc.constantFrom<Existing>('none', 'none', 'none', 'same', 'other'),
  extraHeaders,
});

/**
 * GET /events/{eventId}: how the path segment is spelt on the wire (valid eventIds, nasty strings,
 * random text), percent-encoded in one of several ways, and how the request is signed.
 */
export type StatusSignature =
  | { kind: 'absent' }
  | { kind: 'raw'; header: string }
  | {
      kind: 'signed';
      secret: 'current' | 'previous' | string;
      offset: number;
      /** What is signed instead of `GET.<decoded path>`, if anything. */
      over: 'path' | 'encodedPath' | 'otherEventId' | 'post' | 'withQuery' | 'bodyScheme';
    };

export type StatusCase = {
  eventId: string;
  encoding: 'plain' | 'component' | 'everyByte' | 'double';
  query: string;
  signature: StatusSignature;
  /** Which workflow holds the execution of this eventId, if any. */
  existing: 'none' | 'employee.hired' | 'employee.updated' | 'employee.terminated';
  sfnStatus: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  /** A mover's or leaver's output says the event was stale. */
  stale: boolean;
  /** IAM throttles the account-alias lookup (a 503 for a succeeded hire or move). */
  iamBusy: boolean;
};

const validEventId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,130}$/);

export const statusCase: fc.Arbitrary<StatusCase> = fc.record({
  eventId: fc.oneof(
    { weight: 8, arbitrary: validEventId },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...NASTY_STRINGS, '/', 'a/b', '%', '%zz', '.', '..', 'evt?x', 'evt#x'),
    },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  ),
  encoding: fc.constantFrom('plain', 'component', 'component', 'everyByte', 'double'),
  query: fc.oneof(
    { weight: 8, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z=&%0-9]{1,20}$/) },
  ),
  signature: fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record({
        kind: fc.constant('signed' as const),
        secret: fc.constantFrom('current', 'previous'),
        offset: fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: -300, max: 300 }) },
          { weight: 1, arbitrary: offset },
        ),
        over: fc.oneof(
          { weight: 12, arbitrary: fc.constant('path' as const) },
          {
            weight: 1,
            arbitrary: fc.constantFrom('encodedPath', 'otherEventId', 'post', 'withQuery', 'bodyScheme'),
          },
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('signed' as const),
        secret: fc.string({ minLength: 1, maxLength: 20 }),
        offset,
        over: fc.constant('path' as const),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'absent' as const }) },
    { weight: 1, arbitrary: junkHeader.map((header) => ({ kind: 'raw' as const, header })) },
  ),
  existing: fc.constantFrom('none', 'none', 'employee.hired', 'employee.updated', 'employee.terminated'),
  sfnStatus: fc.constantFrom('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'),
  stale: fc.boolean(),
  iamBusy: fc.oneof(
    { weight: 3, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
});
