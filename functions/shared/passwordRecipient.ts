import { PasswordRecipientMissingError } from './errors';
import type { Employee } from './hrEvent';

/**
 * Who receives the temporary password: the manager, else the personal address, never the work
 * address (the sign-in URL and user name go there: both halves in one inbox would be one credential),
 * and, when `allowedDomains` is set (PASSWORD_RECIPIENT_DOMAINS), only an address in one of them.
 */
export function passwordRecipient(employee: Employee, allowedDomains: string | undefined): string {
  const domains = (allowedDomains ?? '')
    .split(',')
    .map((domain) => domain.trim().toLowerCase())
    .filter(Boolean);
  const work = employee.workEmail.toLowerCase();
  const refused: string[] = [];
  for (const [field, address] of [
    ['managerEmail', employee.managerEmail],
    ['personalEmail', employee.personalEmail],
  ] as const) {
    if (!address) continue;
    const lower = address.toLowerCase();
    const domain = lower.slice(lower.lastIndexOf('@') + 1);
    if (lower === work) refused.push(`${field} is the work address`);
    else if (domains.length > 0 && !domains.includes(domain))
      refused.push(`${field} is outside ${domains.join(', ')}`);
    else return address;
  }
  const why = refused.length > 0 ? refused.join('; ') : 'there is no managerEmail or personalEmail';
  throw new PasswordRecipientMissingError(
    `Employee ${employee.id} has no address for the temporary password: ${why}`,
  );
}
