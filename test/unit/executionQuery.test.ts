import type { ExecutionView } from '../../cli/executionView/view';
import {
  eventIdOf,
  matchesSearch,
  parseExecutionQuery,
  startedWithin,
} from '../../local/console/executionQuery';

const parse = (query: string) => parseExecutionQuery(new URLSearchParams(query));

const view = (fields: Partial<ExecutionView>): ExecutionView => ({
  name: 'evt-1001',
  executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:onboarding:evt-1001',
  status: 'SUCCEEDED',
  employee: {},
  redriveCount: 0,
  steps: [],
  failedPermanently: false,
  ...fields,
});

describe('parseExecutionQuery', () => {
  describe('when nothing is given', () => {
    it('asks for the newest 50 executions of any status', () => {
      expect(parse('')).toEqual({ query: { limit: 50 } });
    });
  });

  describe('when every parameter is given', () => {
    it('keeps them, the search in lower case, until a UTC day through its end', () => {
      expect(
        parse('q=%20Ada%20&status=FAILED&since=2026-11-28&until=2026-11-29&limit=100&nextToken=abc'),
      ).toEqual({
        query: {
          q: 'ada',
          status: 'FAILED',
          since: new Date('2026-11-28T00:00:00Z'),
          before: new Date('2026-11-30T00:00:00Z'),
          limit: 100,
          nextToken: 'abc',
        },
      });
    });

    it('reads a time with its zone, until it inclusive', () => {
      const { query } = parse('since=2026-11-28T10:00:00%2B01:00&until=2026-11-28T09:30:00.250Z');
      expect(query?.since).toEqual(new Date('2026-11-28T09:00:00Z'));
      expect(query?.before).toEqual(new Date('2026-11-28T09:30:00.251Z'));
    });
  });

  describe('when parameters are wrong', () => {
    it('reports every problem at once', () => {
      expect(parse('status=failed&limit=0&since=28/11/2026&until=2026-02-30').errors).toEqual([
        'status: "failed" is not one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED',
        'limit: "0" is not a whole number from 1 to 100',
        'since: "28/11/2026" is not a UTC day (2026-11-28) or an ISO 8601 time with a zone (2026-11-28T09:00:00Z)',
        'until: "2026-02-30" is not a UTC day (2026-11-28) or an ISO 8601 time with a zone (2026-11-28T09:00:00Z)',
      ]);
    });

    it.each(['101', '1.5', '-1', 'ten'])('refuses limit=%s', (limit) => {
      expect(parse(`limit=${limit}`).errors).toEqual([
        `limit: "${limit}" is not a whole number from 1 to 100`,
      ]);
    });

    it('refuses a time without a zone (it would be read in the server’s)', () => {
      expect(parse('since=2026-11-28T09:00:00').errors).toHaveLength(1);
    });

    it('refuses since after until', () => {
      expect(parse('since=2026-11-29&until=2026-11-28').errors).toEqual(['since: it is after until']);
    });
  });
});

describe('matchesSearch', () => {
  const ada = view({
    input: '{"eventId":"evt-2025-0042","employee":{"id":"E1001"}}',
    employee: { id: 'E1001', name: 'Ada Lovelace', department: 'Engineering' },
    userName: 'ada.lovelace',
  });

  it.each(['ada lovelace', 'e1001', 'evt-2025-0042', 'ada.lovelace', 'love'])('finds %s', (q) => {
    expect(matchesSearch(ada, q)).toBe(true);
  });

  it('does not search the department', () => {
    expect(matchesSearch(ada, 'engineering')).toBe(false);
  });

  it('reads no eventId from input that is not JSON', () => {
    expect(eventIdOf({ input: 'not json' })).toBeUndefined();
  });
});

describe('startedWithin', () => {
  const range = { since: new Date('2026-11-28T00:00:00Z'), before: new Date('2026-11-29T00:00:00Z') };

  it('holds from since, inclusive, to before, exclusive', () => {
    expect(startedWithin(new Date('2026-11-28T00:00:00Z'), range)).toBe(true);
    expect(startedWithin(new Date('2026-11-28T23:59:59.999Z'), range)).toBe(true);
    expect(startedWithin(new Date('2026-11-29T00:00:00Z'), range)).toBe(false);
    expect(startedWithin(new Date('2026-11-27T23:59:59.999Z'), range)).toBe(false);
  });
});
