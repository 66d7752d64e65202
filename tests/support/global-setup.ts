// Before the suite: the scratch databases a killed run left on the test server are dropped.
import { dropAbandonedDatabases, embeddedOnly } from './test-databases';

export default async function globalSetup(): Promise<void> {
  if (embeddedOnly()) return;
  const dropped = await dropAbandonedDatabases();
  if (dropped > 0) console.log(`dropped ${dropped} scratch databases of test runs no longer running`);
}
