// Test identities: the gateway reads the caller from a test header, as a real authenticator would from a token.
import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, type Caller, CallerSchema } from '../../schema/caller';

export const TEST_CALLER_HEADER = 'x-test-caller';

export async function authenticateFromTestHeader(req: IncomingMessage): Promise<Caller> {
  const raw = req.headers[TEST_CALLER_HEADER];
  return typeof raw === 'string' ? CallerSchema.parse(JSON.parse(raw)) : ANONYMOUS;
}

export const asOfficer = (municipality: string, subject = `officer-${municipality.toLowerCase()}`) => ({
  [TEST_CALLER_HEADER]: JSON.stringify({ subject, role: 'officer', municipality, purpose: null }),
});

export const asRegistryAdmin = (subject = 'registry-admin') => ({
  [TEST_CALLER_HEADER]: JSON.stringify({
    subject,
    role: 'registry_admin',
    municipality: null,
    purpose: null,
  }),
});

export const asEmployer = (subject = 'employer-1') => ({
  [TEST_CALLER_HEADER]: JSON.stringify({ subject, role: 'employer', municipality: null, purpose: null }),
});
