import type { Role } from '../schemas/common';

/** One entry of the dashboard's section list. */
export interface NavItem {
  href: string;
  label: string;
  current: boolean;
}

const ALL_BUT_SAFEGUARDING: Role[] = ['admin', 'practice-lead', 'scrutineer'];

/**
 * The sections each role can open, in the order they show. The workspace pages (surveys, links,
 * feeds, admin) sit after the insight pages; their routes check the same roles.
 */
const SECTIONS: { href: string; label: string; roles: Role[] }[] = [
  { href: '/dashboard/alerts', label: 'Safeguarding alerts', roles: ['safeguarding-lead'] },
  { href: '/dashboard/reviews', label: 'Review queue', roles: ['safeguarding-lead', 'reviewer'] },
  { href: '/dashboard', label: 'Insights', roles: ALL_BUT_SAFEGUARDING },
  { href: '/dashboard/actions', label: 'You said, we did', roles: ALL_BUT_SAFEGUARDING },
  { href: '/dashboard/surveys', label: 'Surveys', roles: ['admin', 'practice-lead'] },
  { href: '/dashboard/links', label: 'Feedback links', roles: ALL_BUT_SAFEGUARDING },
  { href: '/dashboard/feeds', label: 'Feeds', roles: ALL_BUT_SAFEGUARDING },
  { href: '/dashboard/people', label: 'People', roles: ['admin', 'safeguarding-lead'] },
  { href: '/dashboard/keys', label: 'Keys', roles: ['admin', 'safeguarding-lead'] },
  { href: '/dashboard/partners', label: 'Partners and services', roles: ['admin'] },
  { href: '/dashboard/settings', label: 'Settings', roles: ['admin'] },
  { href: '/dashboard/themes', label: 'Themes', roles: ['admin'] },
];

/** The section list for a role, with the page being shown marked current. */
export const dashboardNav = (role: Role, current: string): NavItem[] =>
  SECTIONS.filter((s) => s.roles.includes(role)).map(({ href, label }) => ({ href, label, current: href === current }));
