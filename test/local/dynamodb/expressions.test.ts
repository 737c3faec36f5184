import {
  type AttributeValue,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { failure, Harness } from './harness';

/**
 * Every expression feature the lifecycle workflows may use, with the answers and the error
 * messages of the Developer Guide ("Condition and filter expressions", "Update expressions",
 * "Projection expressions", "Reserved words").
 */

const KEY = { employeeId: { S: 'e-1' } };
const ITEM: Record<string, AttributeValue> = {
  ...KEY,
  userName: { S: 'jdoe' },
  age: { N: '30' },
  tags: { SS: ['dev', 'ops'] },
  scores: { NS: ['1', '2'] },
  groups: { L: [{ S: 'dev' }, { N: '7' }] },
  profile: { M: { title: { S: 'Engineer' }, manager: { M: { email: { S: 'boss@example.com' } } } } },
  active: { BOOL: true },
  nothing: { NULL: true },
  photo: { B: new Uint8Array([1, 2, 3]) },
};

type Placeholders = { values?: Record<string, AttributeValue>; names?: Record<string, string> };

describe('DynamoDB expressions', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = new Harness();
    await harness.start();
    await harness.createTable();
  });
  afterAll(() => harness.dispose());
  beforeEach(() => harness.client.send(new PutItemCommand({ TableName: 'employees', Item: ITEM })));

  /** Whether the condition holds on ITEM (a conditional put of the same item). */
  const holds = async (expression: string, { values, names }: Placeholders = {}): Promise<boolean> => {
    try {
      await harness.client.send(
        new PutItemCommand({
          TableName: 'employees',
          Item: ITEM,
          ConditionExpression: expression,
          ExpressionAttributeValues: values,
          ExpressionAttributeNames: names,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  const conditionError = async (expression: string, placeholders: Placeholders = {}) =>
    (await failure(holds(expression, placeholders))).message;

  const update = async (expression: string, { values, names }: Placeholders = {}) => {
    const answer = await harness.client.send(
      new UpdateItemCommand({
        TableName: 'employees',
        Key: KEY,
        UpdateExpression: expression,
        ExpressionAttributeValues: values,
        ExpressionAttributeNames: names,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return answer.Attributes ?? {};
  };

  const updateError = async (expression: string, placeholders: Placeholders = {}) =>
    (await failure(update(expression, placeholders))).message;

  const S = (s: string) => ({ S: s });
  const N = (n: string) => ({ N: n });

  describe('condition expressions', () => {
    it.each([
      ['userName = :v', { ':v': S('jdoe') }, true],
      ['userName = :v', { ':v': S('other') }, false],
      ['age = :v', { ':v': N('30.0') }, true],
      ['userName <> :v', { ':v': S('other') }, true],
      ['absent <> :v', { ':v': S('x') }, true],
      ['absent = :v', { ':v': S('x') }, false],
      ['age < :v', { ':v': N('31') }, true],
      ['age <= :v', { ':v': N('30') }, true],
      ['age > :v', { ':v': N('30') }, false],
      ['age >= :v', { ':v': N('30') }, true],
      ['age > :v', { ':v': S('1') }, false],
      ['userName < :v', { ':v': S('jdoe2') }, true],
      ['age BETWEEN :lo AND :hi', { ':lo': N('18'), ':hi': N('65') }, true],
      ['age BETWEEN :lo AND :hi', { ':lo': N('31'), ':hi': N('65') }, false],
      ['userName IN (:a, :b)', { ':a': S('x'), ':b': S('jdoe') }, true],
      ['userName IN (:a)', { ':a': S('x') }, false],
      ['age = :a AND userName = :b', { ':a': N('30'), ':b': S('x') }, false],
      ['age = :a OR userName = :b', { ':a': N('30'), ':b': S('x') }, true],
      ['NOT userName = :b', { ':b': S('x') }, true],
      [
        '(age = :a OR userName = :b) AND NOT (active = :f)',
        { ':a': N('1'), ':b': S('jdoe'), ':f': { BOOL: false } },
        true,
      ],
      [
        'age = :a OR userName = :b AND active = :f',
        { ':a': N('30'), ':b': S('x'), ':f': { BOOL: false } },
        true,
      ],
      ['profile.manager.email = :e', { ':e': S('boss@example.com') }, true],
      ['groups[1] = :seven', { ':seven': N('7') }, true],
      ['groups[5] = :seven', { ':seven': N('7') }, false],
      ['begins_with(userName, :p)', { ':p': S('jd') }, true],
      ['begins_with(userName, :p)', { ':p': S('do') }, false],
      ['contains(userName, :p)', { ':p': S('do') }, true],
      ['contains(tags, :t)', { ':t': S('ops') }, true],
      ['contains(tags, :t)', { ':t': S('qa') }, false],
      ['contains(scores, :n)', { ':n': N('2') }, true],
      ['contains(groups, :g)', { ':g': S('dev') }, true],
      ['size(userName) = :four', { ':four': N('4') }, true],
      ['size(tags) > :one', { ':one': N('1') }, true],
      ['size(profile) = :two', { ':two': N('2') }, true],
      ['size(photo) = :three', { ':three': N('3') }, true],
      ['attribute_type(age, :n)', { ':n': S('N') }, true],
      ['attribute_type(nothing, :t)', { ':t': S('NULL') }, true],
      ['attribute_type(tags, :t)', { ':t': S('L') }, false],
    ] as const)('%s with %j is %s', async (expression, values, expected) => {
      await expect(holds(expression, { values })).resolves.toBe(expected);
    });

    it.each([
      ['attribute_exists(userName)', true],
      ['attribute_exists(profile.manager.email)', true],
      ['attribute_exists(profile.manager.phone)', false],
      ['attribute_not_exists(lockedBy)', true],
      ['attribute_not_exists(userName)', false],
    ])('%s is %s', async (expression, expected) => {
      await expect(holds(expression)).resolves.toBe(expected);
    });

    it('reads #name placeholders, for reserved words and names with any characters', async () => {
      await expect(
        holds('#s = :v AND attribute_not_exists(#weird)', {
          names: { '#s': 'userName', '#weird': 'a.b-c' },
          values: { ':v': S('jdoe') },
        }),
      ).resolves.toBe(true);
    });

    it.each([
      {
        expression: 'status = :v',
        values: { ':v': S('x') },
        message:
          'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status',
      },
      {
        expression: 'userName = :v',
        values: { ':v': S('x'), ':unused': S('y') },
        message: 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}',
      },
      {
        expression: '#u = :v',
        values: { ':v': S('x') },
        names: { '#u': 'userName', '#n': 'nope' },
        message: 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}',
      },
      {
        expression: '#missing = :v',
        values: { ':v': S('x') },
        message:
          'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #missing',
      },
      {
        expression: 'userName = :missing',
        message:
          'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing',
      },
      {
        expression: 'userName = = :v',
        values: { ':v': S('x') },
        message: 'Invalid ConditionExpression: Syntax error; token: "=", near: "= ="',
      },
      {
        expression: 'userName',
        message: 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "userName"',
      },
      {
        expression: 'userName = :v !',
        values: { ':v': S('x') },
        message: 'Invalid ConditionExpression: Syntax error; token: "!", near: ":v !"',
      },
      { expression: ' ', message: 'Invalid ConditionExpression: The expression can not be empty;' },
      {
        expression: 'starts_with(userName, :v)',
        values: { ':v': S('x') },
        message: 'Invalid ConditionExpression: Invalid function name; function: starts_with',
      },
      {
        expression: 'attribute_exists(userName, age)',
        message:
          'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2',
      },
      {
        expression: 'attribute_type(age, :t)',
        values: { ':t': S('STRING') },
        message:
          'Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}',
      },
      {
        expression: 'begins_with(userName, :n)',
        values: { ':n': N('1') },
        message:
          'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
      },
      {
        expression: '((userName = :v))',
        values: { ':v': S('x') },
        message: 'Invalid ConditionExpression: The expression has redundant parentheses;',
      },
      {
        expression: 'age BETWEEN :hi AND :lo',
        values: { ':lo': N('1'), ':hi': N('5') },
        message:
          'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}',
      },
      {
        expression: 'if_not_exists(age, :v) = :v',
        values: { ':v': N('1') },
        message:
          'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: if_not_exists',
      },
      {
        expression: 'userName = :v',
        values: { v: S('x') },
        message: 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"',
      },
    ])('refuses $expression: $message', async ({ expression, values, names, message }) => {
      await expect(
        conditionError(expression, { values: values as Placeholders['values'], names }),
      ).resolves.toBe(message);
    });

    it('refuses placeholders without any expression', async () => {
      const error = await failure(
        harness.client.send(
          new GetItemCommand({ TableName: 'employees', Key: KEY, ExpressionAttributeNames: { '#a': 'a' } }),
        ),
      );

      expect(error.message).toBe('ExpressionAttributeNames can only be specified when using expressions');
    });

    it('refuses values without an expression that uses them', async () => {
      const error = await failure(
        harness.client.send(
          new PutItemCommand({
            TableName: 'employees',
            Item: ITEM,
            ExpressionAttributeValues: { ':v': S('x') },
          }),
        ),
      );

      expect(error.message).toBe(
        'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
      );
    });

    it('refuses an invalid attribute value in ExpressionAttributeValues, naming its key', async () => {
      await expect(conditionError('userName = :v', { values: { ':v': { SS: [] } } })).resolves.toBe(
        'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v',
      );
    });
  });

  describe('update expressions', () => {
    it('SETs attributes, nested paths and list elements; + and - on numbers', async () => {
      const item = await update(
        'SET lockedBy = :me, age = age + :one, profile.title = :t, groups[0] = :g, #n = :five - :two',
        {
          values: {
            ':me': S('exec-1'),
            ':one': N('1'),
            ':t': S('Lead'),
            ':g': S('ops'),
            ':five': N('5'),
            ':two': N('2.5'),
          },
          names: { '#n': 'computed' },
        },
      );

      expect(item).toMatchObject({
        lockedBy: S('exec-1'),
        age: N('31'),
        profile: { M: { title: S('Lead'), manager: ITEM.profile?.M?.manager } },
        groups: { L: [S('ops'), N('7')] },
        computed: N('2.5'),
      });
    });

    it('appends with an index past the end of a list, and with list_append', async () => {
      const item = await update(
        'SET groups[9] = :x, history = list_append(if_not_exists(history, :empty), :entry)',
        {
          values: { ':x': S('last'), ':empty': { L: [] }, ':entry': { L: [S('hired')] } },
        },
      );

      expect(item.groups).toEqual({ L: [S('dev'), N('7'), S('last')] });
      expect(item.history).toEqual({ L: [S('hired')] });
    });

    it('keeps an existing value with if_not_exists', async () => {
      const item = await update(
        'SET userName = if_not_exists(userName, :v), firstSeen = if_not_exists(firstSeen, :v)',
        {
          values: { ':v': S('new') },
        },
      );

      expect(item.userName).toEqual(S('jdoe'));
      expect(item.firstSeen).toEqual(S('new'));
    });

    it('REMOVEs attributes and list elements', async () => {
      const item = await update('REMOVE active, groups[0], profile.manager');

      expect(item.active).toBeUndefined();
      expect(item.groups).toEqual({ L: [N('7')] });
      expect(item.profile).toEqual({ M: { title: S('Engineer') } });
    });

    it('ADDs to numbers and sets (creating them when missing) and DELETEs from sets', async () => {
      const item = await update('ADD age :two, tags :more, hires :one DELETE scores :gone', {
        values: { ':two': N('2'), ':more': { SS: ['qa', 'dev'] }, ':one': N('1'), ':gone': { NS: ['1'] } },
      });

      expect(item.age).toEqual(N('32'));
      expect(new Set(item.tags?.SS)).toEqual(new Set(['dev', 'ops', 'qa']));
      expect(item.hires).toEqual(N('1'));
      expect(item.scores).toEqual({ NS: ['2'] });
    });

    it('removes a set emptied by DELETE', async () => {
      const item = await update('DELETE tags :all', { values: { ':all': { SS: ['dev', 'ops'] } } });

      expect(item.tags).toBeUndefined();
    });

    it('creates the item from its key when it does not exist', async () => {
      const answer = await harness.client.send(
        new UpdateItemCommand({
          TableName: 'employees',
          Key: { employeeId: S('e-new') },
          UpdateExpression: 'SET userName = :u',
          ExpressionAttributeValues: { ':u': S('new') },
          ReturnValues: 'ALL_NEW',
        }),
      );

      expect(answer.Attributes).toEqual({ employeeId: S('e-new'), userName: S('new') });
    });

    it('answers UPDATED_OLD with the updated attributes as they were', async () => {
      const answer = await harness.client.send(
        new UpdateItemCommand({
          TableName: 'employees',
          Key: KEY,
          UpdateExpression: 'SET age = :a, profile.title = :t',
          ExpressionAttributeValues: { ':a': N('40'), ':t': S('Lead') },
          ReturnValues: 'UPDATED_OLD',
        }),
      );

      expect(answer.Attributes).toEqual({ age: N('30'), profile: { M: { title: S('Engineer') } } });
    });

    it.each([
      {
        expression: 'SET employeeId = :v',
        values: { ':v': S('x') },
        message:
          'One or more parameter values were invalid: Cannot update attribute employeeId. This attribute is part of the key',
      },
      {
        expression: 'SET a = :v REMOVE a',
        values: { ':v': S('x') },
        message:
          'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]',
      },
      {
        expression: 'SET profile = :v, profile.title = :v',
        values: { ':v': S('x') },
        message:
          'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [profile], path two: [profile, title]',
      },
      {
        expression: 'SET a = :v SET b = :v',
        values: { ':v': S('x') },
        message: 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;',
      },
      {
        expression: 'SET age = age + :s',
        values: { ':s': S('1') },
        message:
          'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S',
      },
      {
        expression: 'SET age = userName + :one',
        values: { ':one': N('1') },
        message: 'An operand in the update expression has an incorrect data type',
      },
      {
        expression: 'SET age = absent + :one',
        values: { ':one': N('1') },
        message: 'The provided expression refers to an attribute that does not exist in the item',
      },
      {
        expression: 'SET absent.child = :one',
        values: { ':one': N('1') },
        message: 'The document path provided in the update expression is invalid for update',
      },
      {
        expression: 'ADD userName :s',
        values: { ':s': S('x') },
        message:
          'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING',
      },
      {
        expression: 'SET #status = :v, comment = :v',
        values: { ':v': S('x') },
        names: { '#status': 'status' },
        message: 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: comment',
      },
      {
        expression: 'SET a = :v,',
        values: { ':v': S('x') },
        message: 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","',
      },
      {
        expression: 'SET a = size(userName)',
        message:
          'Invalid UpdateExpression: The function is not allowed in an update expression; function: size',
      },
    ])('refuses $expression: $message', async ({ expression, values, names, message }) => {
      await expect(
        updateError(expression, { values: values as Placeholders['values'], names }),
      ).resolves.toBe(message);
    });

    it('refuses an update that would make the item larger than 400 KB', async () => {
      await expect(
        updateError('SET big = :big', { values: { ':big': S('x'.repeat(400 * 1024)) } }),
      ).resolves.toBe('Item size to update has exceeded the maximum allowed size');
    });
  });

  describe('projection expressions', () => {
    it('refuses a reserved word', async () => {
      const error = await failure(
        harness.client.send(
          new GetItemCommand({ TableName: 'employees', Key: KEY, ProjectionExpression: 'userName, name' }),
        ),
      );

      expect(error.message).toBe(
        'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name',
      );
    });

    it('refuses overlapping paths', async () => {
      const error = await failure(
        harness.client.send(
          new GetItemCommand({
            TableName: 'employees',
            Key: KEY,
            ProjectionExpression: 'profile, profile.title',
          }),
        ),
      );

      expect(error.message).toBe(
        'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [profile], path two: [profile, title]',
      );
    });
  });
});
