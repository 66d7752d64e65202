// What each role may do, as the scopes named by @requiresScopes in the contract.
import type { Caller, Role } from '../../../schema/caller';

export const ROLE_SCOPES: Record<Role, readonly string[]> = {
  anonymous: [],
  employer: ['credentials:verify'],
  officer: [
    'credentials:read',
    'people:read',
    'workforce:read',
    'audit:read',
    'credentials:verify',
    'credentials:write',
    'workforce:write',
    'agreements:ratify',
  ],
  analyst: ['credentials:read', 'workforce:read', 'flows:read'],
  registry_admin: ['credentials:read', 'registry:write'],
  // people:read: the policies release holders to auditors who state a purpose
  auditor: ['credentials:read', 'people:read', 'workforce:read', 'audit:read'],
};

export function scopesOf(caller: Caller): ReadonlySet<string> {
  return new Set(ROLE_SCOPES[caller.role]);
}

export function isAuthenticated(caller: Caller): boolean {
  return caller.role !== 'anonymous';
}
