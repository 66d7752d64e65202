// The wide MariaDB/MySQL register adapter: a mysql:// URL; reads log in as a SELECT-only user,
// writes as the register's owner.
import { mappedAdapter } from '../kit/adapter';
import { mariadbRegisterMapping } from './mapping';
import { TABLES } from './schema';

export const mariadbRegisterAdapter = mappedAdapter(mariadbRegisterMapping, { tables: TABLES });
