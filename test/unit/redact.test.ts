import { redactAddress, redactAddresses, scrubError } from '../../functions/shared/redact';

describe('redactAddress', () => {
  it.each([
    ['ada.lovelace@example.com', 'a***@example.com'],
    ['x@sub.example.co.uk', 'x***@sub.example.co.uk'],
    ['"odd@local"@example.com', '"***@example.com'],
    ['@example.com', '***@example.com'],
    ['not an address', '***'],
  ])('shows %s as %s', (address, shown) => {
    expect(redactAddress(address)).toBe(shown);
  });
});

describe('redactAddresses', () => {
  it('redacts every address in a sentence and leaves the rest as it was', () => {
    expect(
      redactAddresses(
        'To <ada+ops@example.com>, cc boss@corp.example.org; user ada.lovelace, arn:aws:iam::1:user/a',
      ),
    ).toBe('To <a***@example.com>, cc b***@corp.example.org; user ada.lovelace, arn:aws:iam::1:user/a');
  });
});

describe('scrubError', () => {
  it('returns the very error when there is nothing to scrub', () => {
    const error = new Error('nothing personal');
    expect(scrubError(error, redactAddresses)).toBe(error);
  });

  it('returns a copy with name, SDK metadata and network code kept and message and stack scrubbed', () => {
    const error = Object.assign(new Error('refused ada@example.com'), {
      $metadata: { httpStatusCode: 400 },
      $fault: 'client',
      code: 'ECONNRESET',
    });
    error.name = 'MessageRejected';
    const copy = scrubError(error, redactAddresses) as Error & Record<string, unknown>;
    expect(copy).not.toBe(error);
    expect(copy).toMatchObject({
      name: 'MessageRejected',
      message: 'refused a***@example.com',
      $metadata: { httpStatusCode: 400 },
      $fault: 'client',
      code: 'ECONNRESET',
    });
    expect(copy.stack).not.toContain('ada@example.com');
  });

  it('passes what is not an Error through', () => {
    expect(scrubError('ada@example.com', redactAddresses)).toBe('ada@example.com');
  });
});
