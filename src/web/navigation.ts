import type { User } from '../repositories/users.ts';
import { hasAnyRole } from '../services/roles.ts';
import { KEEPS_RECORDS, SEES_EVERYONE } from '../services/access.ts';
import { paths } from './paths.ts';
import { OVERSEES } from '../services/oversight.ts';

export interface NavItem {
  text: string;
  href: string;
  active: boolean;
}

/** The main navigation for a person, by their roles. */
export function navigationFor(user: User | null, url: string, supervises = false): NavItem[] {
  if (!user) return [];
  const path = url.split('?')[0] ?? '/';
  const items: Array<{ text: string; href: string; prefix: string }> = [
    { text: 'Home', href: paths.home, prefix: '/$' },
    { text: 'Policy', href: paths.policy, prefix: '/policy' },
  ];
  if (user.staffId !== null)
    items.push({ text: 'Sessions', href: paths.sessions.list, prefix: '/(sessions|records|actions)' });
  // People: anyone with a staff record (they see themselves and the line below them) or who sees everyone.
  if (user.staffId !== null || hasAnyRole(user.roles, SEES_EVERYONE)) {
    items.push({ text: 'People', href: paths.people, prefix: '/people' });
  }
  // Children: for those who may see any, by the staff record their account belongs to or by a role that sees all.
  if (user.staffId !== null || hasAnyRole(user.roles, SEES_EVERYONE)) {
    items.push({ text: 'Children', href: paths.children.list, prefix: '/children' });
  }
  // Your teams: also for someone who supervises people without a manager's role
  if (hasAnyRole(user.roles, OVERSEES) || supervises) {
    items.push({
      text: hasAnyRole(user.roles, SEES_EVERYONE) ? 'Oversight' : 'Your teams',
      href: paths.oversight.home,
      prefix: '/oversight',
    });
  }
  // Reports: for those who see everyone, and managers (the teams of the people they supervise)
  if (hasAnyRole(user.roles, [...SEES_EVERYONE, 'manager'])) {
    items.push({ text: 'Reports', href: paths.reports.compliance, prefix: '/reports' });
  }
  if (hasAnyRole(user.roles, ['administrator'])) {
    items.push(
      { text: 'Users', href: paths.admin.users, prefix: '/admin/users' },
      { text: 'Teams', href: paths.admin.organisation, prefix: '/admin/(teams|services)' },
    );
  }
  if (hasAnyRole(user.roles, KEEPS_RECORDS)) {
    items.push(
      { text: 'Supervisors', href: paths.admin.supervision, prefix: '/admin/supervision' },
      { text: 'Import', href: paths.imports.start, prefix: '/imports' },
    );
  }
  if (hasAnyRole(user.roles, ['administrator', 'quality-assurance'])) {
    items.push({ text: 'Audit', href: paths.admin.audit, prefix: '/admin/audit' });
  }
  return items.map((i) => ({ text: i.text, href: i.href, active: new RegExp(`^${i.prefix}`).test(path) }));
}
