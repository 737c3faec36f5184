import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  GetExecutionHistoryCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { EndedViews } from '../../local/console/endedViews';

// Step Functions keeps a FAILED, TIMED_OUT or ABORTED execution redrivable for 14 days after it
// stopped (RedriveExecution, AWS Step Functions API reference); then DescribeExecution says
// NOT_REDRIVABLE with no other change to the execution.

const sfn = mockClient(SFNClient);
const DAY_MS = 86_400_000;
const EXECUTION_ARN = 'arn:aws:states:eu-west-1:123456789012:execution:onboarding:evt-1001';
const stopDate = new Date('2026-11-28T09:00:00Z');
const item: ExecutionListItem = {
  executionArn: EXECUTION_ARN,
  stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding',
  name: 'evt-1001',
  status: 'FAILED',
  startDate: new Date(stopDate.getTime() - 60_000),
  stopDate,
  redriveCount: 0,
};

beforeEach(() => {
  sfn.reset();
  sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
  sfn.on(DescribeExecutionCommand).resolves({ ...item, redriveStatus: 'REDRIVABLE' });
});

afterEach(() => jest.restoreAllMocks());

describe('EndedViews', () => {
  describe('when an ended execution is listed again unchanged', () => {
    it('reads it once', async () => {
      jest.spyOn(Date, 'now').mockReturnValue(stopDate.getTime() + DAY_MS);
      const views = new EndedViews(new SFNClient({}));

      await views.of(item);
      await views.of(item);

      expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(1);
    });
  });

  describe('when its 14-day redrive window closed since it was read', () => {
    it('reads it again, and sees it is no longer redrivable', async () => {
      const now = jest.spyOn(Date, 'now').mockReturnValue(stopDate.getTime() + 13 * DAY_MS);
      const views = new EndedViews(new SFNClient({}));
      expect((await views.of(item)).redriveStatus).toBe('REDRIVABLE');
      now.mockReturnValue(stopDate.getTime() + 15 * DAY_MS);
      sfn.on(DescribeExecutionCommand).resolves({
        ...item,
        redriveStatus: 'NOT_REDRIVABLE',
        redriveStatusReason: 'Execution redrivable period exceeded',
      });

      const view = await views.of(item);

      expect(view.redriveStatus).toBe('NOT_REDRIVABLE');
      expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(2);
    });
  });
});
