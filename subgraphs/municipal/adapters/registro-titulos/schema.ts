// registro-titulos's own tables as drizzle-kit pull read them from the live database; never edit the database to fit.
import { char, date, index, integer, pgTable, primaryKey, serial, smallint, text } from 'drizzle-orm/pg-core';

export const persona = pgTable(
  'persona',
  {
    id_persona: integer().primaryKey().notNull(),
    nombre: text().notNull(),
    apellidos: text().notNull(),
    id_regional: text().notNull(),
  },
  (table) => [
    index('persona_id_regional_idx').using('btree', table.id_regional.asc().nullsLast().op('text_ops')),
  ],
);

export const cualificacion = pgTable('cualificacion', {
  codigo: text().primaryKey().notNull(),
  codigo_oficial: text().notNull(),
  denominacion: text().notNull(),
  nivel_eqf: smallint(),
  ocupacion_isco: char({ length: 4 }),
});

export const contrato = pgTable(
  'contrato',
  {
    id_contrato: serial().primaryKey().notNull(),
    titulo_usado: text().notNull(),
    ocupacion_isco: char({ length: 4 }).notNull(),
    fecha_alta: date().notNull(),
    fecha_baja: date(),
  },
  (table) => [index('contrato_alta_idx').using('btree', table.fecha_alta.asc().nullsLast().op('date_ops'))],
);

export const titulo = pgTable(
  'titulo',
  {
    numero: integer().notNull(),
    anio: smallint().notNull(),
    id_persona: integer().notNull(),
    cualificacion: text().notNull(),
    estado: char({ length: 1 }).notNull(),
    fecha_expedicion: date().notNull(),
    fecha_caducidad: date(),
    huella_verificacion: char({ length: 64 }),
  },
  (table) => [
    index('titulo_expedicion_idx').using('btree', table.fecha_expedicion.asc().nullsLast().op('date_ops')),
    index('titulo_persona_idx').using('btree', table.id_persona.asc().nullsLast().op('int4_ops')),
    primaryKey({ columns: [table.anio, table.numero], name: 'titulo_pkey' }),
  ],
);
