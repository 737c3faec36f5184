import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { invalidPublicKey, unrecognizedPublicKeyEncoding } from './errors';

/** IAM's bounds for SSH public keys (RSA only): 2048 to 16384 bits. */
const MIN_BITS = 2048;
const MAX_BITS = 16384;

export type ParsedSshKey = { sshBody: string; pemBody: string; fingerprint: string };

const malformed = () => invalidPublicKey('The public key is malformed or otherwise invalid.');

/**
 * An RSA public key in OpenSSH form (`ssh-rsa AAAA... [comment]`) or PEM (SubjectPublicKeyInfo or
 * PKCS#1), as UploadSSHPublicKey accepts it: both forms back, and IAM's MD5 fingerprint of the
 * OpenSSH key blob. Other key types and encodings are UnrecognizedPublicKeyEncoding; a key that
 * does not parse or is outside 2048-16384 bits is InvalidPublicKey.
 */
export function parseSshPublicKey(body: string): ParsedSshKey {
  const text = body.trim();
  const key = text.startsWith('-----BEGIN ') ? fromPem(text) : fromOpenSsh(text);
  const details = key.asymmetricKeyDetails;
  const bits = details?.modulusLength ?? 0;
  if (bits < MIN_BITS || bits > MAX_BITS) {
    throw invalidPublicKey(`The public key must be between ${MIN_BITS} and ${MAX_BITS} bits.`);
  }
  const jwk = key.export({ format: 'jwk' });
  const blob = sshRsaBlob(Buffer.from(jwk.e ?? '', 'base64url'), Buffer.from(jwk.n ?? '', 'base64url'));
  const digest = createHash('md5').update(blob).digest('hex');
  return {
    sshBody: `ssh-rsa ${blob.toString('base64')}`,
    pemBody: key.export({ format: 'pem', type: 'spki' }).toString(),
    fingerprint: digest.match(/../g)?.join(':') ?? digest,
  };
}

function fromPem(text: string): KeyObject {
  if (!/^-----BEGIN (RSA )?PUBLIC KEY-----/.test(text)) {
    throw unrecognizedPublicKeyEncoding('The public key encoding format is unsupported or unrecognized.');
  }
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    throw malformed();
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw unrecognizedPublicKeyEncoding('The public key encoding format is unsupported or unrecognized.');
  }
  return key;
}

function fromOpenSsh(text: string): KeyObject {
  const [type, data] = text.split(/\s+/);
  if (type !== 'ssh-rsa') {
    throw unrecognizedPublicKeyEncoding('The public key encoding format is unsupported or unrecognized.');
  }
  if (!data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw malformed();
  const fields = readSshStrings(Buffer.from(data, 'base64'));
  if (fields?.length !== 3 || fields[0]?.toString('latin1') !== 'ssh-rsa') throw malformed();
  const [, exponent, modulus] = fields as [Buffer, Buffer, Buffer];
  try {
    return createPublicKey({
      key: {
        kty: 'RSA',
        e: unsigned(exponent).toString('base64url'),
        n: unsigned(modulus).toString('base64url'),
      },
      format: 'jwk',
    });
  } catch {
    throw malformed();
  }
}

/** The length-prefixed fields of an SSH wire-format blob (RFC 4253 section 6.6), or undefined when torn. */
function readSshStrings(blob: Buffer): Buffer[] | undefined {
  const fields: Buffer[] = [];
  let offset = 0;
  while (offset < blob.length) {
    if (offset + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) return undefined;
    fields.push(blob.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return fields;
}

const unsigned = (mpint: Buffer) => (mpint[0] === 0 ? mpint.subarray(1) : mpint);

/** `string "ssh-rsa", mpint e, mpint n`: an mpint gets a leading zero byte when its top bit is set. */
export function sshRsaBlob(exponent: Buffer, modulus: Buffer): Buffer {
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const mpint = (bytes: Buffer) =>
    (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return Buffer.concat([field(Buffer.from('ssh-rsa')), field(mpint(exponent)), field(mpint(modulus))]);
}
