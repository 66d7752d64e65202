// registro-titulos in the contract's shapes: titles keyed by (year, number), one-letter states, NULL
// for no expiry, names in two parts, employments without an employer.
import { nameInTwoColumns } from '../kit/fields';
import { defineMapping } from '../kit/mapping';
import { contrato, cualificacion, persona, titulo } from './schema';

export const registroTitulosMapping = defineMapping({
  name: 'registro-titulos',
  dialect: 'postgresql',
  credential: {
    table: titulo,
    id: { columns: [titulo.anio, titulo.numero], separator: '-' },
    holder: { column: titulo.id_persona, refers: persona.id_persona },
    qualification: { column: titulo.cualificacion, refers: cualificacion.codigo },
    // V vigente, S suspendido, R revocado.
    state: { column: titulo.estado, codes: { ACTIVE: 'V', SUSPENDED: 'S', REVOKED: 'R' } },
    validFrom: { column: titulo.fecha_expedicion, format: 'date' },
    validUntil: { column: titulo.fecha_caducidad, format: 'date', none: 'NULL: no expiry' },
    verificationHash: titulo.huella_verificacion,
    allocate: { kind: 'year-number' },
  },
  holder: {
    table: persona,
    id: persona.id_persona,
    displayName: nameInTwoColumns(persona.nombre, persona.apellidos),
    regionalHolderId: persona.id_regional,
  },
  qualification: {
    table: cualificacion,
    id: cualificacion.codigo,
    code: cualificacion.codigo_oficial,
    title: cualificacion.denominacion,
    eqfLevel: cualificacion.nivel_eqf,
    iscoCode: cualificacion.ocupacion_isco,
  },
  placement: {
    table: contrato,
    id: contrato.id_contrato,
    credential: contrato.titulo_usado,
    employer: { missing: null, why: 'the register records no employer for an employment' },
    iscoCode: contrato.ocupacion_isco,
    startDate: { column: contrato.fecha_alta, format: 'date' },
    endDate: { column: contrato.fecha_baja, format: 'date', none: 'NULL: still employed' },
    allocate: { kind: 'sequence' },
  },
});
