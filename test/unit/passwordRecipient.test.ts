import { passwordRecipient } from '../../functions/shared/passwordRecipient';
import { newHire } from '../support/lambda';

const employee = (emails: { managerEmail?: string; personalEmail?: string; workEmail?: string }) => ({
  ...newHire,
  managerEmail: undefined,
  personalEmail: undefined,
  workEmail: 'ada@corp.example',
  ...emails,
});

describe('passwordRecipient', () => {
  it.each([
    {
      when: 'there is a manager',
      emails: { managerEmail: 'grace@corp.example', personalEmail: 'ada@home.example' },
      domains: undefined,
      to: 'grace@corp.example',
    },
    {
      when: 'there is only a personal address',
      emails: { personalEmail: 'ada@home.example' },
      domains: undefined,
      to: 'ada@home.example',
    },
    {
      when: 'the manager address is the work address (any case)',
      emails: { managerEmail: 'ADA@corp.example', personalEmail: 'ada@home.example' },
      domains: undefined,
      to: 'ada@home.example',
    },
    {
      when: 'the manager is outside the allowed domains',
      emails: { managerEmail: 'grace@elsewhere.example', personalEmail: 'ada@home.example' },
      domains: 'home.example, corp.example',
      to: 'ada@home.example',
    },
  ])('sends to $to when $when', ({ emails, domains, to }) => {
    expect(passwordRecipient(employee(emails), domains)).toBe(to);
  });

  it.each([
    {
      when: 'there is no other address',
      emails: {},
      domains: undefined,
      why: 'there is no managerEmail or personalEmail',
    },
    {
      when: 'the only address is the work address',
      emails: { personalEmail: 'ada@corp.example' },
      domains: undefined,
      why: 'personalEmail is the work address',
    },
    {
      when: 'every address is outside the allowed domains',
      emails: { managerEmail: 'grace@elsewhere.example' },
      domains: 'corp.example',
      why: 'managerEmail is outside corp.example',
    },
  ])('refuses with PasswordRecipientMissingError when $when', ({ emails, domains, why }) => {
    expect(() => passwordRecipient(employee(emails), domains)).toThrow(
      expect.objectContaining({
        name: 'PasswordRecipientMissingError',
        message: expect.stringContaining(why),
      }),
    );
  });
});
