import type { Employee } from '../../../functions/shared/hrEvent';
import {
  grantsFor,
  isCurrentPassword,
  type OnboardedUser,
  passwordIn,
  secretNames,
  userNameIn,
  usersOfEmployee,
} from './inspect';
import type { TestStack } from './testStack';

/** The parts of an HR event the checks need. */
export type Hire = {
  eventId: string;
  employee: Pick<Employee, 'id' | 'workEmail' | 'department' | 'jobTitle'> & { managerEmail: string };
};

/**
 * Asserts the end state of one successful onboarding, however many retries, crashes and redrives it
 * took: exactly one IAM user tagged with the employee's id, under /onboarded/ with the profile's
 * boundary, groups and policies, a login profile that must be reset, exactly one welcome email and
 * one password email (each naming that user, the password being the user's current one) and no
 * temporary password left in Secrets Manager.
 */
export async function expectOnboarded(
  stack: TestStack,
  hire: Hire,
): Promise<{ user: OnboardedUser; password: string }> {
  const { employee } = hire;
  const grants = grantsFor(employee);
  const users = await usersOfEmployee(stack.iam, employee.id);
  expect(users.map((u) => u.userName)).toHaveLength(1);
  const user = users[0] as OnboardedUser;
  expect(user).toMatchObject({
    path: '/onboarded/',
    tags: expect.objectContaining({ employeeId: employee.id, eventId: hire.eventId }),
    permissionsBoundary: grants.permissionsBoundary,
    groups: grants.groups,
    userPolicies: grants.userPolicies,
    loginProfile: { passwordResetRequired: true },
  });

  const welcomes = await stack.emailsTo(employee.workEmail);
  const passwordEmails = await stack.emailsTo(employee.managerEmail);
  expect(welcomes).toHaveLength(1);
  expect(passwordEmails).toHaveLength(1);
  expect(userNameIn(welcomes[0])).toBe(user.userName);
  expect(userNameIn(passwordEmails[0])).toBe(user.userName);
  const password = passwordIn(passwordEmails[0]) ?? '';
  expect(password).toMatch(/^\S{20,}$/);
  expect(isCurrentPassword(stack.dataDir, user.userName, password)).toBe(true);

  const leftover = (await secretNames(stack.secrets)).filter((name) =>
    name.endsWith(`/temporary-password/${user.userName}`),
  );
  expect(leftover).toEqual([]);
  return { user, password };
}
