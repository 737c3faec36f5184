import fc from 'fast-check';
import { executionArn, executionName } from '../../functions/shared/executionName';

const EXECUTION_NAME = /^[0-9A-Za-z_-]{1,80}$/;
// The eventId pattern of contracts/hr-event.schema.json, up to its 128 characters.
const eventIds = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);

describe('executionName', () => {
  describe('when the eventId is short and already a valid name', () => {
    it('keeps it readable and appends 128 bits of its SHA-256', () => {
      // printf '%s' evt-2025-0001 | sha256sum  ->  7fc8e1fc288572b367679477fd7f26e6...
      expect(executionName('evt-2025-0001')).toBe('evt-2025-0001-7fc8e1fc288572b367679477fd7f26e6');
    });
  });

  describe('when the eventId has characters Step Functions does not allow', () => {
    it('replaces them with dashes in the prefix', () => {
      expect(executionName('hr:2025.03/0001 x')).toMatch(/^hr-2025-03-0001-x-[0-9a-f]{32}$/);
    });

    it('still tells apart eventIds whose prefixes are equal', () => {
      expect(executionName('evt.1')).not.toBe(executionName('evt:1'));
      expect(executionName('evt.1')).not.toBe(executionName('evt-1'));
    });
  });

  describe('when the eventId is long', () => {
    it('cuts the prefix so the name fits in 80 characters', () => {
      const name = executionName('a'.repeat(128));

      expect(name).toHaveLength(80);
      expect(name).toMatch(/^a{47}-[0-9a-f]{32}$/);
    });

    it('tells apart eventIds that differ only after the prefix', () => {
      const common = 'a'.repeat(100);

      expect(executionName(`${common}1`)).not.toBe(executionName(`${common}2`));
    });
  });

  describe('when the eventId is empty', () => {
    it('is the hash alone', () => {
      expect(executionName('')).toMatch(/^[0-9a-f]{32}$/);
    });
  });

  describe('for any eventId the schema allows', () => {
    it('is a valid execution name', () => {
      fc.assert(fc.property(eventIds, (eventId) => EXECUTION_NAME.test(executionName(eventId))));
    });

    it('is a different name for a different eventId', () => {
      fc.assert(
        fc.property(eventIds, eventIds, (a, b) => {
          fc.pre(a !== b);
          return executionName(a) !== executionName(b);
        }),
      );
    });
  });

  describe('for any string at all', () => {
    it('is a valid execution name', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (id) =>
          EXECUTION_NAME.test(executionName(id)),
        ),
      );
    });
  });
});

describe('executionArn', () => {
  it('is the state machine ARN with :execution: and the name', () => {
    const stateMachine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding';

    expect(executionArn(stateMachine, 'evt-1-abc')).toBe(
      'arn:aws:states:eu-west-1:123456789012:execution:onboarding:evt-1-abc',
    );
  });
});
