// The one way every member derives a regional holder id: HMAC-SHA256 of the person's national
// identifier under the region's pepper (a key every municipality holds and no one else), base64url,
// the first 22 characters. Registers store the result; no party ever shares a raw identifier.
import { createHmac } from 'node:crypto';

export function regionalHolderId(nationalId: string, pepper: string): string {
  return createHmac('sha256', pepper)
    .update(nationalId.trim().toUpperCase())
    .digest('base64url')
    .slice(0, 22);
}
