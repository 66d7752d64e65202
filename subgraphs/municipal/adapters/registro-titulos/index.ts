// The registro-titulos adapter: its mapping over its own PostgreSQL (or PGlite) tables.
import { mappedAdapter } from '../kit/adapter';
import { registroTitulosMapping } from './mapping';

export const registroTitulosAdapter = mappedAdapter(registroTitulosMapping);
