// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables, not JS templates
import { conditionsMatch } from '../../../local/authz/conditions';
import { type ContextValue, contextKeys, resolver } from '../../../local/authz/matching';
import type { ConditionBlock, RequestContext } from '../../../local/authz/policyEvaluation';

const holds = (block: ConditionBlock, keys: RequestContext['keys']) => {
  const indexed = contextKeys(keys);
  return conditionsMatch(block, indexed, resolver(indexed, '2012-10-17'));
};

/**
 * One condition, `{ [operator]: { [key]: policy } }`, against request values of `key` (undefined:
 * the key is missing), with `others` also in the request.
 */
function check(
  operator: string,
  key: string,
  policy: unknown,
  rows: Array<[ContextValue | undefined, boolean]>,
  others: RequestContext['keys'] = {},
) {
  const cases = rows.map(([value, expected]) => {
    const label = value === undefined ? 'a missing key' : JSON.stringify(value);
    return [expected, label, value] as const;
  });
  it.each(cases)(`${operator} ${JSON.stringify({ [key]: policy })} is %s for %s`, (expected, _, value) => {
    const keys = value === undefined ? others : { ...others, [key]: value };
    expect(holds({ [operator]: { [key]: policy } }, keys)).toBe(expected);
  });
}

describe('conditionsMatch', () => {
  describe('string operators', () => {
    // IAM JSON policy elements: Condition operators (String); IAM JSON policy elements: Condition.
    check('StringEquals', 'aws:PrincipalTag/job-category', 'iamuser-admin', [
      ['iamuser-admin', true],
      ['dev', false],
      [undefined, false],
    ]);
    check('StringEquals', 'aws:username', 'johndoe', [['JohnDoe', false]]);
    check('StringEqualsIgnoreCase', 'aws:username', 'johndoe', [
      ['JohnDoe', true],
      ['jane', false],
      [undefined, false],
    ]);
    check('StringNotEquals', 'aws:username', 'johndoe', [
      ['jane', true],
      ['johndoe', false],
      [undefined, true],
    ]);
    check('StringNotEqualsIgnoreCase', 'aws:username', 'johndoe', [
      ['JohnDoe', false],
      ['jane', true],
      [undefined, true],
    ]);
    check(
      'StringLike',
      'ec2:InstanceType',
      ['t1.*', 't2.*', 'm3.*'],
      [
        ['t2.micro', true],
        ['c5.large', false],
        ['T2.micro', false],
        [undefined, false],
      ],
    );
    check('StringLike', 'ec2:InstanceType', 't?.micro', [
      ['t3.micro', true],
      ['t10.micro', false],
    ]);
    check(
      'StringNotLike',
      'ec2:InstanceType',
      ['t1.*', 't2.*', 'm3.*'],
      [
        ['t2.micro', false],
        ['c5.large', true],
        [undefined, true],
      ],
    );
    // The S3 home-directory example, for user David: values of one key OR, one of them a variable.
    check(
      'StringLike',
      's3:prefix',
      ['', 'home/', 'home/${aws:username}/'],
      [
        ['home/David/', true],
        ['home/Adele/', false],
        ['', true],
        ['home/', true],
      ],
      { 'aws:username': 'David' },
    );

    it('reads condition key names case-insensitively (AWS:USERNAME is aws:username)', () => {
      expect(holds({ StringEquals: { 'aws:username': 'johndoe' } }, { 'AWS:USERNAME': 'johndoe' })).toBe(
        true,
      );
    });
  });

  describe('numeric operators', () => {
    // IAM JSON policy elements: Condition operators (Numeric): list up to 10 objects.
    check('NumericLessThanEquals', 's3:max-keys', '10', [
      ['10', true],
      ['11', false],
      [9, true],
      [undefined, false],
    ]);
    // "an integer or decimal value": no hexadecimal, no empty string.
    check('NumericEquals', 's3:max-keys', '10', [
      ['10.0', true],
      ['11', false],
      ['ten', false],
      ['0xA', false],
    ]);
    check('NumericEquals', 's3:max-keys', '0', [['', false]]);
    check('NumericEquals', 's3:max-keys', 10, [['10', true]]);
    check('NumericNotEquals', 's3:max-keys', '10', [
      ['5', true],
      ['10', false],
      [undefined, true],
    ]);
    check('NumericLessThan', 's3:max-keys', '10', [
      ['9', true],
      ['10', false],
    ]);
    check('NumericGreaterThan', 's3:max-keys', '10', [
      ['11', true],
      ['10', false],
    ]);
    check('NumericGreaterThanEquals', 's3:max-keys', '10', [
      ['10', true],
      ['9', false],
    ]);
    // "You can not use a policy variable with the Numeric condition operator."
    check('NumericEquals', 's3:max-keys', '${aws:PrincipalTag/limit}', [['10', false]], {
      'aws:PrincipalTag/limit': '10',
    });
  });

  describe('date operators', () => {
    // IAM JSON policy elements: Condition operators (Date): credentials issued after the policy date.
    const issued = '2020-01-01T00:00:01Z';
    check('DateGreaterThan', 'aws:TokenIssueTime', issued, [
      ['2020-06-01T00:00:00Z', true],
      ['2019-12-31T23:59:59Z', false],
      [issued, false],
      ['1577836802', true],
      [undefined, false],
    ]);
    check('DateGreaterThanEquals', 'aws:TokenIssueTime', issued, [
      [issued, true],
      ['2019-12-31T23:59:59Z', false],
    ]);
    check('DateLessThan', 'aws:TokenIssueTime', issued, [
      ['2019-12-31T23:59:59Z', true],
      [issued, false],
    ]);
    check('DateLessThanEquals', 'aws:TokenIssueTime', issued, [
      [issued, true],
      ['2020-06-01T00:00:00Z', false],
    ]);
    check('DateEquals', 'aws:TokenIssueTime', issued, [
      ['2020-01-01T01:00:01+01:00', true],
      ['2020-01-01T00:00:02Z', false],
      ['yesterday', false],
    ]);
    check('DateEquals', 'aws:TokenIssueTime', '1577836801', [[issued, true]]);
    // "one of the W3C implementations of the ISO 8601 date formats or in epoch (UNIX) time" only.
    check('DateEquals', 'aws:TokenIssueTime', issued, [['Wed, 01 Jan 2020 00:00:01 GMT', false]]);
    check('DateNotEquals', 'aws:TokenIssueTime', issued, [
      ['2021-01-01T00:00:00Z', true],
      [issued, false],
      [undefined, true],
    ]);
  });

  describe('Bool, BinaryEquals and IP address operators', () => {
    // IAM JSON policy elements: Condition operators (Boolean, Binary, IP address).
    check('Bool', 'aws:SecureTransport', 'false', [
      [false, true],
      ['false', true],
      [true, false],
      [undefined, false],
    ]);
    check('Bool', 'aws:SecureTransport', false, [[false, true]]);
    check('BinaryEquals', 'key', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', [
      ['QmluYXJ5VmFsdWVJbkJhc2U2NA==', true],
      ['b3RoZXI=', false],
    ]);
    check('IpAddress', 'aws:SourceIp', '203.0.113.0/24', [
      ['203.0.113.7', true],
      ['198.51.100.7', false],
      ['2001:db8::1', false],
      [undefined, false],
    ]);
    check(
      'IpAddress',
      'aws:SourceIp',
      ['203.0.113.0/24', '2001:DB8:1234:5678::/64'],
      [
        ['2001:db8:1234:5678::1', true],
        ['2001:db8:1234:5679::1', false],
        ['203.0.113.200', true],
      ],
    );
    // "If you specify an IP address without the associated routing prefix, IAM uses /32."
    check('IpAddress', 'aws:SourceIp', '203.0.113.7', [
      ['203.0.113.7', true],
      ['203.0.113.8', false],
    ]);
    check('IpAddress', 'aws:SourceIp', '203.0.113.0/33', [['203.0.113.7', false]]);
    check('IpAddress', 'aws:SourceIp', 'not-a-cidr', [['203.0.113.7', false]]);
    check('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', [
      ['198.51.100.7', true],
      ['203.0.113.7', false],
      [undefined, true],
    ]);
  });

  describe('ARN operators', () => {
    // IAM JSON policy elements: Condition operators (ARN): the someservice and SNS topic examples.
    const finance = 'arn:aws:someservice:*:111122223333:finance/*';
    const otherAccount =
      'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
    const sameAccount = 'arn:aws:someservice:us-east-2:111122223333:finance/document.txt';
    const topic = 'arn:aws:sns:us-east-2:123456789012:TOPIC-ID';
    check('StringLike', 'aws:SourceArn', finance, [[otherAccount, true]]);
    check('ArnLike', 'aws:SourceArn', finance, [
      [otherAccount, false],
      [sameAccount, true],
      [undefined, false],
    ]);
    check('ArnNotLike', 'aws:SourceArn', finance, [
      [otherAccount, true],
      [sameAccount, false],
      [undefined, true],
    ]);
    check('ArnEquals', 'aws:SourceArn', topic, [
      [topic, true],
      [`${topic}-2`, false],
      [undefined, false],
    ]);
    check('ArnNotEquals', 'aws:SourceArn', topic, [
      [`${topic}-2`, true],
      [topic, false],
      [undefined, true],
    ]);
  });

  describe('...IfExists', () => {
    // IAM JSON policy elements: Condition operators (...IfExists): the RunInstances example.
    check(
      'StringLikeIfExists',
      'ec2:InstanceType',
      ['t1.*', 't2.*', 'm3.*'],
      [
        [undefined, true],
        ['t2.micro', true],
        ['c5.large', false],
      ],
    );
    check('StringNotEqualsIfExists', 'aws:ResourceTag/team', 'a', [
      [undefined, true],
      ['a', false],
    ]);
    check('NumericLessThanEqualsIfExists', 's3:max-keys', '10', [
      [undefined, true],
      ['11', false],
    ]);
    check('BoolIfExists', 'aws:MultiFactorAuthPresent', 'false', [
      [undefined, true],
      [false, true],
      [true, false],
    ]);
  });

  describe('Null', () => {
    // IAM JSON policy elements: Condition operators (Null check); Multivalued context key examples.
    check('Null', 'aws:TokenIssueTime', 'true', [
      [undefined, true],
      ['2020-01-01T00:00:00Z', false],
      [[], true],
    ]);
    check('Null', 'aws:TokenIssueTime', 'false', [
      ['2020-01-01T00:00:00Z', true],
      [undefined, false],
      [[], false],
    ]);
    // "You can add IfExists to the end of any condition operator name except the Null condition."
    check('NullIfExists', 'aws:TokenIssueTime', 'true', [[undefined, false]]);
  });

  describe('set operators', () => {
    // Creating a condition that tests multiple key values (set operations): the DynamoDB Thread table.
    check(
      'ForAllValues:StringLike',
      'dynamodb:requestedAttributes',
      ['PostDateTime', 'Message', 'Tags'],
      [
        [['PostDateTime', 'Message'], true],
        [['PostDateTime', 'UserName'], false],
        [undefined, true],
        [[], true],
      ],
    );
    check(
      'ForAnyValue:StringLike',
      'dynamodb:requestedAttributes',
      ['ID', 'PostDateTime'],
      [
        [['UserName', 'Message', 'PostDateTime'], true],
        [['UserName'], false],
        [undefined, false],
        [[], false],
      ],
    );
    // Multivalued context key examples: DenyRestrictedTags and the EC2 snapshot tag keys.
    check('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*', [
      [['key2', 'other'], true],
      [['key1-a'], false],
      [undefined, true],
    ]);
    check(
      'ForAnyValue:StringEquals',
      'aws:TagKeys',
      ['environment', 'webserver'],
      [
        [['environment', 'owner'], true],
        [['owner'], false],
      ],
    );

    const restricted = {
      Null: { 'aws:TagKeys': 'false' },
      'ForAllValues:StringLike': { 'aws:TagKeys': ['key1*', 'key2*', 'key3*'] },
    };
    it.each([
      [true, 'every tag key has a listed prefix', ['key1-a', 'key3-b']],
      [false, 'a tag key has another prefix', ['key1-a', 'other']],
      [false, 'there are no tag keys', undefined],
    ])('Null false with ForAllValues:StringLike is %s when %s', (expected, _, tagKeys) => {
      expect(holds(restricted, tagKeys ? { 'aws:TagKeys': tagKeys } : {})).toBe(expected);
    });
  });

  describe('a multivalued key without a set operator', () => {
    // Single-valued vs. multivalued context keys: followed as a match on any value.
    check('StringEquals', 'aws:TagKeys', 'team', [
      [['owner', 'team'], true],
      [['owner'], false],
    ]);
    check('StringNotEquals', 'aws:TagKeys', 'team', [
      [['owner', 'team'], false],
      [['owner'], true],
    ]);
  });

  describe('policy variables in condition values', () => {
    // IAM policy elements: Variables and tags (Policy variables with no value).
    const principalTeam = '${aws:PrincipalTag/team}';
    check(
      'StringEquals',
      'aws:ResourceTag/team',
      principalTeam,
      [
        ['a', true],
        ['b', false],
      ],
      { 'aws:PrincipalTag/team': 'a' },
    );
    check('StringEquals', 'aws:ResourceTag/team', principalTeam, [['a', false]]);
    check('StringNotEquals', 'aws:ResourceTag/team', principalTeam, [['a', true]]);
    check(
      'ArnEquals',
      'aws:SourceArn',
      'arn:aws:iam::111122223333:user/${aws:username}',
      [
        ['arn:aws:iam::111122223333:user/David', true],
        ['arn:aws:iam::111122223333:user/Adele', false],
      ],
      { 'aws:username': 'David' },
    );
  });

  describe('the Condition block', () => {
    // IAM JSON policy elements: Condition (multiple values in a condition): operators and keys AND.
    const topic = {
      StringLike: { 'sns:endpoint': 'https://example.com/${aws:username}/' },
      StringEquals: { 'sns:Protocol': 'https' },
    };
    const team = { StringEquals: { 'aws:PrincipalTag/team': 'a', 'aws:PrincipalTag/role': 'dev' } };
    const david = { 'aws:username': 'David', 'sns:endpoint': 'https://example.com/David/' };

    it.each([
      [true, 'every operator holds', topic, { ...david, 'sns:Protocol': 'https' }],
      [false, 'one operator fails', topic, { ...david, 'sns:Protocol': 'http' }],
      [
        true,
        'every key of an operator holds',
        team,
        { 'aws:PrincipalTag/team': 'a', 'aws:PrincipalTag/role': 'dev' },
      ],
      [
        false,
        'one key of an operator fails',
        team,
        { 'aws:PrincipalTag/team': 'a', 'aws:PrincipalTag/role': 'ops' },
      ],
      [true, 'there is no condition', {}, {}],
    ])('is %s when %s', (expected, _, block, keys) => {
      expect(holds(block, keys)).toBe(expected);
    });

    it('is false, without throwing, for an unknown operator', () => {
      expect(holds({ StringEqualz: { 'aws:username': 'johndoe' } }, { 'aws:username': 'johndoe' })).toBe(
        false,
      );
    });
  });
});
