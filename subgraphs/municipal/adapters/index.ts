// The register adapters (each a mapping over a register's own tables) a municipality can run, by the name its configuration gives (ADAPTER).
import type { MunicipalAdapter } from './adapter';
import { mariadbRegisterAdapter } from './mariadb-register';
import { pgLedgerAdapter } from './pg-ledger';
import { pgNormalisedAdapter } from './pg-normalised';
import { registroTitulosAdapter } from './registro-titulos';
import { sqliteCamelAdapter } from './sqlite-camel';

export const LEGACY_ADAPTERS = {
  'pg-normalised': pgNormalisedAdapter,
  'pg-ledger': pgLedgerAdapter,
  'sqlite-camel': sqliteCamelAdapter,
  'mariadb-register': mariadbRegisterAdapter,
  'registro-titulos': registroTitulosAdapter,
} as const satisfies Record<string, MunicipalAdapter>;

export type LegacyAdapterName = keyof typeof LEGACY_ADAPTERS;
export const ADAPTER_NAMES = ['native', ...Object.keys(LEGACY_ADAPTERS)] as [
  'native',
  ...LegacyAdapterName[],
];
