/** The employee as HR records them (contracts/hr-event.schema.json): a hire's and an update's record. */
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

/** A validated `employee.updated` event: the employee's full current record, the mover's input. */
export type UpdateEvent = {
  eventId: string;
  type: 'employee.updated';
  occurredAt: string;
  employee: Employee;
};

/** A validated `employee.terminated` event: the leaver's input. */
export type TerminationEvent = {
  eventId: string;
  type: 'employee.terminated';
  occurredAt: string;
  /** When access ends; absent or past means now. */
  effectiveAt?: string;
  employee: { id: string };
};

export type HrEvent = HireEvent | UpdateEvent | TerminationEvent;
export type HrEventType = HrEvent['type'];

/** Every event type, in the order the contract lists them. */
export const HR_EVENT_TYPES: readonly HrEventType[] = [
  'employee.hired',
  'employee.updated',
  'employee.terminated',
];
