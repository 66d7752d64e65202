// Global ids: <MUNICIPALITY>:<local id>. The prefix names the owner; the fan-out routes by it.
const GLOBAL_ID = /^([A-Z]{2,8}):([A-Za-z0-9._-]{1,64})$/;
export const MUNICIPALITY_CODE = /^[A-Z]{2,8}$/;

export interface ParsedId {
  municipality: string;
  localId: string;
}

export function parseGlobalId(id: string): ParsedId | null {
  const m = GLOBAL_ID.exec(id);
  return m ? { municipality: m[1] as string, localId: m[2] as string } : null;
}

export function globalId(municipality: string, localId: string | number): string {
  return `${municipality}:${localId}`;
}

/** The owner of a global id, or null when the id is malformed. */
export function ownerOf(id: unknown): string | null {
  return typeof id === 'string' ? (parseGlobalId(id)?.municipality ?? null) : null;
}
