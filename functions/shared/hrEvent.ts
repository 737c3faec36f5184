/** The new hire as the HR event describes it (contracts/hr-event.schema.json). */
export type Employee = {
  id: string;
  givenName: string;
  familyName: string;
  workEmail: string;
  department: string;
  jobTitle?: string;
  managerEmail?: string;
  personalEmail?: string;
  startDate?: string;
};

/** A validated `employee.hired` event: the input of every onboarding execution. */
export type HireEvent = {
  eventId: string;
  type: 'employee.hired';
  occurredAt: string;
  employee: Employee;
};
