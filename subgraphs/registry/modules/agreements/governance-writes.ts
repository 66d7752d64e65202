// Writes of the joint governance body: agreements and mappings, validated, idempotent, logged.
import { and, eq, sql } from 'drizzle-orm';
import type { Caller } from '../../../../schema/caller';
import { crossgateError } from '../../../../schema/errors';
import { parseGlobalId } from '../../../../schema/ids';
import { isIsoDate } from '../../../../schema/scalars';
import {
  agreement,
  agreementParty,
  municipality,
  qualificationMapping,
  regionalStandard,
} from '../../db/schema';
import type { RegistryDatabase } from '../../store';
import type { MeasureKind } from '../recognition/decide';
import { createWriteOnce, type RegistryTx as Tx } from '../write-once';
import type { AgreementRow } from './records';

export interface MeasureInput {
  kind: MeasureKind;
  months?: number | null;
  hours?: number | null;
  level?: string | null;
}
export interface ProposeInput {
  title: string;
  parties: string[];
  standards?: string[] | null;
  iscoGroups?: string[] | null;
  minEqfLevel: number;
  partialFromEqfLevel?: number | null;
  validFrom: string;
  validUntil?: string | null;
  measures?: { from: string; to: string; measures: MeasureInput[] }[] | null;
}

const bad = (argumentName: string, message: string) =>
  crossgateError('BAD_USER_INPUT', message, { argumentName });

function requireAdmin(caller: Caller, what: string) {
  if (caller.role !== 'registry_admin') {
    throw crossgateError(
      'FORBIDDEN',
      `Only a registry administrator may ${what}; the caller is ${caller.role}`,
    );
  }
}

function checkMeasure(m: MeasureInput, at: string) {
  const { kind, months, hours, level } = m;
  if (
    kind === 'ADAPTATION_PERIOD' &&
    !(Number.isInteger(months) && (months as number) >= 1 && (months as number) <= 36)
  )
    throw bad(at, `An adaptation period needs months from 1 to 36; received ${months}`);
  if (
    kind === 'BRIDGE_COURSE' &&
    !(Number.isInteger(hours) && (hours as number) >= 1 && (hours as number) <= 2000)
  )
    throw bad(at, `A bridge course needs hours from 1 to 2000; received ${hours}`);
  if (kind === 'LANGUAGE_LEVEL' && !/^[ABC][12]$/.test(level ?? ''))
    throw bad(at, `A language level is a CEFR level A1 to C2; received ${JSON.stringify(level)}`);
}

export function createAgreementWrites(db: RegistryDatabase, now: () => Date) {
  const once = createWriteOnce(db, now);

  const loadAgreement = async (tx: Tx, id: string): Promise<AgreementRow> => {
    const [row] = await tx.select().from(agreement).where(eq(agreement.id, id));
    if (!row) throw crossgateError('NOT_FOUND', `No agreement ${JSON.stringify(id.slice(0, 40))}`);
    return row;
  };
  const checkDate = (name: string, value: string) => {
    if (!isIsoDate(value)) throw bad(name, `${name} must be YYYY-MM-DD; received ${JSON.stringify(value)}`);
  };

  return {
    propose(caller: Caller, input: ProposeInput, key: string, reason?: string | null) {
      requireAdmin(caller, 'propose an agreement');
      return once(caller, key, 'proposeAgreement', { input }, reason, async (tx) => {
        const title = input.title.trim();
        if (title.length < 3 || title.length > 200)
          throw bad('input.title', 'title must be 3 to 200 characters');
        const parties = [...new Set(input.parties)];
        if (parties.length < 2 || parties.length !== input.parties.length)
          throw bad(
            'input.parties',
            `An agreement needs two or more distinct parties; received ${JSON.stringify(input.parties)}`,
          );
        const members = (await tx.select({ code: municipality.code }).from(municipality)).map((m) => m.code);
        const strangers = parties.filter((p) => !members.includes(p));
        if (strangers.length)
          throw crossgateError('UNKNOWN_MUNICIPALITY', `Not members of the region: ${strangers.join(', ')}`);
        const standards = input.standards ?? [];
        const iscoGroups = input.iscoGroups ?? [];
        if (standards.length + iscoGroups.length === 0)
          throw bad('input.standards', 'The scope needs at least one standard or ISCO group');
        const badGroup = iscoGroups.find((g) => !/^\d{1,4}$/.test(g));
        if (badGroup !== undefined)
          throw bad(
            'input.iscoGroups',
            `ISCO groups are 1 to 4 digits; received ${JSON.stringify(badGroup)}`,
          );
        const known = (await tx.select({ code: regionalStandard.code }).from(regionalStandard)).map(
          (s) => s.code,
        );
        const unknown = standards.filter((s) => !known.includes(s));
        if (unknown.length) throw bad('input.standards', `Unknown regional standards: ${unknown.join(', ')}`);
        const { minEqfLevel: min, partialFromEqfLevel: partial = null } = input;
        if (!Number.isInteger(min) || min < 1 || min > 8)
          throw bad('input.minEqfLevel', `minEqfLevel is 1 to 8; received ${min}`);
        if (partial !== null && (!Number.isInteger(partial) || partial < 1 || partial >= min))
          throw bad(
            'input.partialFromEqfLevel',
            `partialFromEqfLevel must be 1 to ${min - 1}; received ${partial}`,
          );
        checkDate('input.validFrom', input.validFrom);
        if (input.validUntil) {
          checkDate('input.validUntil', input.validUntil);
          if (input.validUntil < input.validFrom)
            throw bad('input.validUntil', 'validUntil is before validFrom');
        }
        const measures = input.measures ?? [];
        for (const [i, d] of measures.entries()) {
          if (!parties.includes(d.from) || !parties.includes(d.to) || d.from === d.to)
            throw bad(
              `input.measures.${i}`,
              `Measures run between two different parties; received ${d.from} -> ${d.to}`,
            );
          for (const m of d.measures) checkMeasure(m, `input.measures.${i}`);
        }
        const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(agreement);
        const row: AgreementRow = {
          id: `AG-${String(Number(n) + 1).padStart(3, '0')}`,
          title,
          status: 'PROPOSED',
          standards,
          iscoGroups,
          minEqfLevel: min,
          partialFromEqfLevel: partial,
          validFrom: input.validFrom,
          validUntil: input.validUntil ?? null,
          suspendedOn: null,
          resumedOn: null,
          terminatedOn: null,
          measures,
        };
        await tx.insert(agreement).values(row);
        await tx
          .insert(agreementParty)
          .values(parties.map((p) => ({ agreementId: row.id, municipality: p, ratifiedOn: null })));
        return { target: row.id, result: row };
      });
    },

    ratify(caller: Caller, id: string, party: string, on: string, key: string, reason?: string | null) {
      if (caller.role !== 'registry_admin' && !(caller.role === 'officer' && caller.municipality === party)) {
        throw crossgateError(
          'FORBIDDEN',
          `Only a registry administrator or an officer of ${party} may ratify for ${party}`,
        );
      }
      return once(caller, key, 'ratifyAgreement', { id, party, on }, reason, async (tx) => {
        const row = await loadAgreement(tx, id);
        if (row.status === 'TERMINATED')
          throw crossgateError('INVALID_TRANSITION', `${id} is terminated; it cannot be ratified`);
        const [p] = await tx
          .select()
          .from(agreementParty)
          .where(and(eq(agreementParty.agreementId, id), eq(agreementParty.municipality, party)));
        if (!p) throw bad('municipality', `${party} is not a party to ${id}`);
        if (p.ratifiedOn)
          throw crossgateError('INVALID_TRANSITION', `${party} already ratified ${id} on ${p.ratifiedOn}`);
        await tx
          .update(agreementParty)
          .set({ ratifiedOn: on })
          .where(and(eq(agreementParty.agreementId, id), eq(agreementParty.municipality, party)));
        const pending = await tx
          .select()
          .from(agreementParty)
          .where(and(eq(agreementParty.agreementId, id), sql`${agreementParty.ratifiedOn} IS NULL`));
        const status = pending.length === 0 && row.status === 'PROPOSED' ? 'RATIFIED' : row.status;
        const [updated] = await tx.update(agreement).set({ status }).where(eq(agreement.id, id)).returning();
        return { target: id, result: updated as AgreementRow };
      });
    },

    halt(caller: Caller, kind: 'suspend' | 'terminate', id: string, on: string, key: string, reason: string) {
      requireAdmin(caller, `${kind} an agreement`);
      if (!reason.trim()) throw bad('reason', `A reason is required to ${kind} an agreement`);
      const operation = kind === 'suspend' ? 'suspendAgreement' : 'terminateAgreement';
      return once(caller, key, operation, { id, on }, reason, async (tx) => {
        const row = await loadAgreement(tx, id);
        if (row.status === 'TERMINATED')
          throw crossgateError('INVALID_TRANSITION', `${id} is already terminated`);
        if (kind === 'suspend' && row.status !== 'RATIFIED')
          throw crossgateError(
            'INVALID_TRANSITION',
            `Only a ratified agreement can be suspended; ${id} is ${row.status}`,
          );
        const change =
          kind === 'suspend'
            ? { status: 'SUSPENDED', suspendedOn: on, resumedOn: null }
            : { status: 'TERMINATED', terminatedOn: on };
        const [updated] = await tx.update(agreement).set(change).where(eq(agreement.id, id)).returning();
        return { target: id, result: updated as AgreementRow };
      });
    },

    /** Ends a suspension from `on`: the agreement is in force again from that day (and was not in between). */
    resume(caller: Caller, id: string, on: string, key: string, reason: string) {
      requireAdmin(caller, 'resume an agreement');
      if (!reason.trim()) throw bad('reason', 'A reason is required to resume an agreement');
      checkDate('on', on);
      return once(caller, key, 'resumeAgreement', { id, on }, reason, async (tx) => {
        const row = await loadAgreement(tx, id);
        if (row.status !== 'SUSPENDED')
          throw crossgateError(
            'INVALID_TRANSITION',
            `Only a suspended agreement can be resumed; ${id} is ${row.status}`,
          );
        if (row.suspendedOn !== null && on < row.suspendedOn)
          throw bad('on', `${id} was suspended on ${row.suspendedOn}; it cannot resume before that (${on})`);
        const [updated] = await tx
          .update(agreement)
          .set({ status: 'RATIFIED', resumedOn: on })
          .where(eq(agreement.id, id))
          .returning();
        return { target: id, result: updated as AgreementRow };
      });
    },

    map(
      caller: Caller,
      qualificationId: string,
      standardCode: string,
      since: string,
      key: string,
      reason?: string | null,
    ) {
      requireAdmin(caller, 'maintain qualification mappings');
      return once(
        caller,
        key,
        'mapQualification',
        { qualificationId, standardCode, since },
        reason,
        async (tx) => {
          if (!/^[A-Za-z0-9-]{1,40}$/.test(standardCode)) {
            throw bad(
              'standardCode',
              `Unknown regional standard ${JSON.stringify(standardCode.slice(0, 40))}`,
            );
          }
          const owner = parseGlobalId(qualificationId);
          if (!owner)
            throw crossgateError(
              'INVALID_ID',
              `Expected <MUNICIPALITY>:<local id>; received ${JSON.stringify(qualificationId.slice(0, 80))}`,
            );
          const [member] = await tx
            .select()
            .from(municipality)
            .where(eq(municipality.code, owner.municipality));
          if (!member)
            throw crossgateError(
              'UNKNOWN_MUNICIPALITY',
              `${owner.municipality} is not a member of the region`,
            );
          const [standard] = await tx
            .select()
            .from(regionalStandard)
            .where(eq(regionalStandard.code, standardCode));
          if (!standard)
            throw bad(
              'standardCode',
              `Unknown regional standard ${JSON.stringify(standardCode.slice(0, 40))}`,
            );
          const row = { qualificationId, standardCode, since };
          await tx.insert(qualificationMapping).values(row).onConflictDoUpdate({
            target: qualificationMapping.qualificationId,
            set: { standardCode, since },
          });
          return { target: qualificationId, result: row };
        },
      );
    },

    unmap(caller: Caller, qualificationId: string, key: string, reason: string) {
      requireAdmin(caller, 'maintain qualification mappings');
      return once(caller, key, 'unmapQualification', { qualificationId }, reason, async (tx) => {
        if (!parseGlobalId(qualificationId)) {
          throw crossgateError(
            'INVALID_ID',
            `Expected <MUNICIPALITY>:<local id>; received ${JSON.stringify(qualificationId.slice(0, 80))}`,
          );
        }
        const gone = await tx
          .delete(qualificationMapping)
          .where(eq(qualificationMapping.qualificationId, qualificationId))
          .returning();
        if (gone.length === 0) throw crossgateError('NOT_FOUND', `${qualificationId} has no mapping`);
        return { target: qualificationId, result: { id: qualificationId } };
      });
    },
  };
}

export type AgreementWrites = ReturnType<typeof createAgreementWrites>;
