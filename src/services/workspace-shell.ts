import type { ApiKey } from '../db/keys';
import { findPartnership } from '../db/partnerships';
import type { Shell } from '../views/dashboard';
import { dashboardNav } from '../views/nav';

/** The frame of a workspace page: who is signed in, to which partnership, and the sections they can open. */
export async function workspaceShell(db: D1Database, key: ApiKey, csrf: string, title: string, current: string): Promise<Shell> {
  const partnership = await findPartnership(db, key.partnershipId);
  return {
    title,
    csrf,
    who: { label: key.label, role: key.role, partnershipName: partnership?.name ?? key.partnershipId },
    nav: dashboardNav(key.role, current),
  };
}
