import { readableCause } from '../../functions/shared/errorCause';

describe('readableCause', () => {
  it("gives a Lambda error's errorMessage (the cause Step Functions records for a function that threw)", () => {
    const cause =
      '{"errorType":"IamServiceError","errorMessage":"IAM CreateUser failed: ServiceFailure","trace":["IamServiceError: IAM CreateUser failed","    at createUser (/var/task/createUser.js:1:1)"]}';

    expect(readableCause(cause)).toBe('IAM CreateUser failed: ServiceFailure');
  });

  it('keeps a plain sentence such as a States.Timeout cause', () => {
    expect(readableCause('Task timed out after 30.00 seconds')).toBe('Task timed out after 30.00 seconds');
  });

  it('keeps JSON that is not a Lambda error, and one whose errorMessage is not text', () => {
    expect(readableCause('{"reason":"quota"}')).toBe('{"reason":"quota"}');
    expect(readableCause('{"errorType":"X","errorMessage":42}')).toBe('{"errorType":"X","errorMessage":42}');
  });

  it('has nothing to say about no cause', () => {
    expect(readableCause(undefined)).toBeUndefined();
  });
});
