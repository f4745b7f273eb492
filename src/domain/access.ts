import type { Role } from '../schemas/common';

/** What access rules need to know of a key: its role and, for a practice lead, its partner. */
export interface KeyHolder {
  role: Role;
  partnerId: string | null;
}

/** Whether a key may see things belonging to this partner (practice leads see only their own). */
export const canSeePartner = (key: KeyHolder, partnerId: string | null) => key.partnerId === null || partnerId === null || key.partnerId === partnerId;

/** Whether a key may change things belonging to this partner. */
export const canChangePartner = (key: KeyHolder, partnerId: string | null) =>
  key.role === 'admin' || (key.role === 'practice-lead' && key.partnerId !== null && key.partnerId === partnerId);
