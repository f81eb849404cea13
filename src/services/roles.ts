/** The roles a person can hold in Supervise; one person may hold several. */
export const ROLES = [
  'administrator',
  'senior-leader',
  'manager',
  'practitioner',
  'quality-assurance',
  'business-support',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  administrator: 'Administrator',
  'senior-leader': 'Senior leader',
  manager: 'Manager (supervisor)',
  practitioner: 'Practitioner',
  'quality-assurance': 'Quality assurance',
  'business-support': 'Business support',
};

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

export function hasAnyRole(roles: readonly Role[], wanted: readonly Role[]): boolean {
  return wanted.some((r) => roles.includes(r));
}
