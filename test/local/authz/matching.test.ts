// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables, not JS templates
import { actionMatches, arnMatches, contextKeys, resolver } from '../../../local/authz/matching';
import type { RequestContext } from '../../../local/authz/policyEvaluation';

const resolve = (keys: RequestContext['keys'] = {}) => resolver(contextKeys(keys), '2012-10-17');

describe('actionMatches', () => {
  // IAM JSON policy elements: Action; Policy evaluation logic (AllowGetList / DenyReports).
  it.each([
    ['iam:*AccessKey*', 'iam:CreateAccessKey', true],
    ['iam:*AccessKey*', 'iam:ListAccessKeys', true],
    ['iam:*AccessKey*', 'iam:UpdateAccessKey', true],
    ['iam:*AccessKey*', 'iam:CreateUser', false],
    ['s3:*', 's3:GetObject', true],
    ['s3:*', 'sqs:SendMessage', false],
    ['*', 'iam:CreateUser', true],
    ['iam:Get*', 'iam:GetUser', true],
    ['iam:*Report', 'iam:GetOrganizationsAccessReport', true],
    ['iam:*Report', 'iam:GenerateCredentialReport', true],
    ['iam:*Report', 'iam:GetUser', false],
    ['iam:?etUser', 'iam:GetUser', true],
    ['iam:?User', 'iam:GetUser', false],
    ['iam:CreateUser', 'iam:CreateUserPolicy', false],
  ])('%s matches %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  it('ignores case in the service prefix and the action name (IAM:listaccesskeys is iam:ListAccessKeys)', () => {
    expect(actionMatches('IAM:listaccesskeys', 'iam:ListAccessKeys')).toBe(true);
  });
});

describe('arnMatches', () => {
  // IAM JSON policy elements: Resource; Condition operators (ARN); NotAction; Permissions boundaries.
  it.each([
    ['arn:aws:iam::111122223333:user/accounting/*', 'arn:aws:iam::111122223333:user/accounting/Bob', true],
    ['arn:aws:iam::111122223333:user/accounting/*', 'arn:aws:iam::111122223333:user/Bob', false],
    ['arn:aws:s3:::my_corporate_bucket/*', 'arn:aws:s3:::my_corporate_bucket/a/b/c.txt', true],
    [
      'arn:aws:ec2:*:*:instance/i-1234567890abcdef0',
      'arn:aws:ec2:us-east-2:111122223333:instance/i-1234567890abcdef0',
      true,
    ],
    [
      'arn:aws:ec2:*:*:instance/i-1234567890abcdef0',
      'arn:aws:ec2:us-east-2:111122223333:instance/i-0000',
      false,
    ],
    ['arn:aws:iam::111122223333:user/Bo?', 'arn:aws:iam::111122223333:user/Bob', true],
    ['arn:aws:iam::111122223333:user/Bo?', 'arn:aws:iam::111122223333:user/Bobby', false],
    ['arn:aws:s3:::DOC-EXAMPLE-BUCKET', 'arn:aws:s3:::doc-example-bucket', false],
    ['*', 'arn:aws:iam::111122223333:user/Bob', true],
    ['*', '*', true],
    ['arn:aws:s3:::*', '*', false],
  ])('%s matches %s: %s', (pattern, arn, expected) => {
    expect(arnMatches(pattern, arn, resolve())).toBe(expected);
  });

  it('does not let a wildcard before the resource cross a colon (the someservice example)', () => {
    const arn = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
    expect(arnMatches('arn:aws:someservice:*:111122223333:finance/*', arn, resolve())).toBe(false);
  });

  it('lets a wildcard in the resource cross colons', () => {
    const arn = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
    expect(arnMatches('arn:aws:someservice:us-east-2:999999999999:store/*', arn, resolve())).toBe(true);
  });

  describe('with policy variables', () => {
    const david = { 'aws:username': 'David' };

    it.each([
      ['the user named in aws:username', 'arn:aws:iam::111122223333:user/David', david, true],
      ['another user', 'arn:aws:iam::111122223333:user/Adele', david, false],
      ['any user when aws:username is absent', 'arn:aws:iam::111122223333:user/David', {}, false],
    ])('${aws:username} matches %s: %s', (_, arn, keys, expected) => {
      expect(arnMatches('arn:aws:iam::*:user/${aws:username}', arn, resolve(keys))).toBe(expected);
    });

    it('reads variable names case-insensitively (AWS:UserName is aws:username)', () => {
      expect(
        arnMatches('arn:aws:iam::*:user/${AWS:UserName}', 'arn:aws:iam::1:user/David', resolve(david)),
      ).toBe(true);
    });

    it.each([
      ['hr', 'arn:aws:s3:::bucket/hr', true],
      ['hr', 'arn:aws:s3:::bucket/finance', false],
    ])('substitutes a principal tag (department %s) into %s: %s', (department, arn, expected) => {
      const keys = { 'aws:PrincipalTag/department': department };
      expect(arnMatches('arn:aws:s3:::bucket/${aws:PrincipalTag/department}', arn, resolve(keys))).toBe(
        expected,
      );
    });

    it.each([
      ['absent', {}, 'arn:aws:s3:::bucket/anonymous', true],
      ['present', { 'aws:userid': 'AIDAEXAMPLE' }, 'arn:aws:s3:::bucket/AIDAEXAMPLE', true],
      ['present', { 'aws:userid': 'AIDAEXAMPLE' }, 'arn:aws:s3:::bucket/anonymous', false],
    ])(
      "uses the default of ${aws:userid, 'anonymous'} only when the key is %s: %s -> %s",
      (_, keys, arn, expected) => {
        expect(arnMatches("arn:aws:s3:::bucket/${aws:userid, 'anonymous'}", arn, resolve(keys))).toBe(
          expected,
        );
      },
    );

    it.each([
      ['${*}', 'arn:aws:s3:::bucket/*', true],
      ['${*}', 'arn:aws:s3:::bucket/report', false],
      ['${?}', 'arn:aws:s3:::bucket/?', true],
      ['${?}', 'arn:aws:s3:::bucket/x', false],
      ['${$}', 'arn:aws:s3:::bucket/$', true],
    ])('reads %s as the literal character: %s -> %s', (variable, arn, expected) => {
      expect(arnMatches(`arn:aws:s3:::bucket/${variable}`, arn, resolve())).toBe(expected);
    });

    it('does not use a multivalued key as a variable', () => {
      const keys = { 'aws:TagKeys': ['team'] };
      expect(
        arnMatches('arn:aws:s3:::bucket/${aws:TagKeys}', 'arn:aws:s3:::bucket/team', resolve(keys)),
      ).toBe(false);
    });

    it.each([
      ['no Version', undefined],
      ['Version 2008-10-17', '2008-10-17'],
    ])('treats ${aws:username} as literal text with %s', (_, version) => {
      const pattern = 'arn:aws:iam::111122223333:user/${aws:username}';
      const unversioned = resolver(contextKeys(david), version);
      expect(arnMatches(pattern, 'arn:aws:iam::111122223333:user/David', unversioned)).toBe(false);
      expect(arnMatches(pattern, 'arn:aws:iam::111122223333:user/${aws:username}', unversioned)).toBe(true);
    });
  });
});
