// The adapter file of a new register folder besides its pulled schema and proposed mapping.
export function indexSource(name: string, dialect: string, kitPath: string): string {
  const camel = name.replace(/-([a-z0-9])/g, (_, x: string) => x.toUpperCase());
  return `// ${name}: the adapter over this municipality's own ${dialect} tables, read through a read-only
// login and written through the owner's, as its mapping says.
import { mappedAdapter } from '${kitPath}/adapter';
import { ${camel}Mapping } from './mapping';

export const ${camel}Adapter = mappedAdapter(${camel}Mapping);
`;
}

/** Adds the adapter to the registry of adapters a municipality's ADAPTER may name. */
export function withAdapterRegistered(indexTs: string, name: string): string {
  if (indexTs.includes(`'${name}':`)) return indexTs;
  const camel = name.replace(/-([a-z0-9])/g, (_, x: string) => x.toUpperCase());
  return indexTs
    .replace(
      /(import type \{ MunicipalAdapter \} from '\.\/adapter';\n)/,
      `$1import { ${camel}Adapter } from './${name}';\n`,
    )
    .replace(
      /(\n\} as const satisfies Record<string, MunicipalAdapter>;)/,
      `\n  '${name}': ${camel}Adapter,$1`,
    );
}
