import { isLoopback, signedHeaders } from '../../cli/hrEventSender';

describe('isLoopback', () => {
  it.each(['localhost', '127.0.0.1', '127.0.0.53', '127.255.255.254', '[::1]'])('accepts %s', (hostname) => {
    expect(isLoopback(hostname)).toBe(true);
  });

  it.each([
    '128.0.0.1',
    '10.0.0.1',
    '0.0.0.0',
    '192.0.2.10',
    'example.com',
    'localhost.example.com',
    '127.0.0.1.example.com',
    '[::2]',
    '[::ffff:7f00:1]',
  ])('refuses %s', (hostname) => {
    expect(isLoopback(hostname)).toBe(false);
  });

  it('accepts the forms WHATWG URL normalises to a loopback address', () => {
    const hostname = (url: string) => new URL(url).hostname;

    expect(isLoopback(hostname('http://LOCALHOST:3000/hires'))).toBe(true);
    expect(isLoopback(hostname('http://127.1/hires'))).toBe(true);
    expect(isLoopback(hostname('http://[0:0:0:0:0:0:0:1]/hires'))).toBe(true);
  });
});

describe('signedHeaders', () => {
  it('signs the body as the contract says: t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    // Expected digest from `printf '1741000000.{"eventId":"evt-1"}' | openssl dgst -sha256 -hmac <secret>`;
    // the time is rounded down to whole seconds.
    const headers = signedHeaders('{"eventId":"evt-1"}', 'whsec_example_do_not_use', 1_741_000_000_999);

    expect(headers).toEqual({
      'content-type': 'application/json',
      'onboarding-signature':
        't=1741000000,v1=faee57f3dc9c77c407ae7c5d704c4ba680901e81fbcdfa53f4658bc891897e36',
    });
  });
});
