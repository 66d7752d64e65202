// The flows answer written straight into the client's selection is the one the generic projection
// gives from the full report objects: aliases, fragments, __typename and repeated fields included.
import fc from 'fast-check';
import { type FieldNode, type OperationDefinitionNode, parse } from 'graphql';
import { project } from '../../gateway/src/fanout/aggregate';
import { compileView } from '../../gateway/src/fanout/views';
import { flowReportView } from '../../gateway/src/workforce-flows/aggregate-report';
import { buildFlowReport, type FlowReport, suppressFlows } from '../../gateway/src/workforce-flows/report';

const municipality = (code: string) => ({ __typename: 'Municipality', code });

/** The report as full GraphQL objects, each with its __typename: what the view stands for. */
function fullObject(report: FlowReport) {
  return {
    __typename: 'FlowReport',
    granularity: report.granularity,
    threshold: report.threshold,
    cells: report.cells.map((c) => ({
      __typename: 'FlowCell',
      from: municipality(c.from),
      to: municipality(c.to),
      occupation: { __typename: 'Occupation', iscoCode: c.iscoCode },
      period: c.period,
      placements: c.placements,
      suppressed: c.suppressed,
    })),
    corridors: report.corridors.map((c) => ({
      __typename: 'FlowCorridor',
      from: municipality(c.from),
      to: municipality(c.to),
      placements: c.placements,
      suppressed: c.suppressed,
    })),
    timeSeries: report.timeSeries.map((p) => ({ __typename: 'FlowPeriod', ...p })),
    totals: { __typename: 'FlowTotals', ...report.totals },
    recognition: report.recognition.map((r) => ({ __typename: 'FlowOutcomeShare', ...r })),
  };
}

const SELECTIONS = [
  `{ cells { from { code } to { code } occupation { iscoCode } period placements suppressed }
     totals { placements suppressed cells suppressedCells } }`,
  `{ __typename kind: granularity threshold
     cells { __typename p: placements from { __typename code } ...C ... on FlowCell { period placements } }
     corridors { from { code } to { code } placements suppressed } timeSeries { period placements suppressed }
     totals { cells } more: totals { suppressedCells __typename } recognition { outcome share } }
   fragment C on FlowCell { occupation { iscoCode } suppressed from { code } }`,
];

function fieldOf(selection: string) {
  const doc = parse(`query { workforceFlows ${selection} }`);
  const op = doc.definitions[0] as OperationDefinitionNode;
  const fragments = new Map(
    doc.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d] as const] : [])),
  );
  return { field: op.selectionSet.selections[0] as FieldNode, fragments };
}

const cell = fc.record({
  from: fc.constantFrom('NB', 'SB', 'RV'),
  to: fc.constantFrom('NB', 'SB'),
  iscoCode: fc.constantFrom('7411', '2221'),
  period: fc.constantFrom('2024', '2025', '2026'),
  placements: fc.nat(12),
});

describe('flows answer view', () => {
  it('writes what projecting the full report objects gives, for every selection', () => {
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 25 }), fc.constantFrom(0, 3, 5), (cells, threshold) => {
        for (const selection of SELECTIONS) {
          const { field, fragments } = fieldOf(selection);
          const viewed = compileView(
            flowReportView,
            field.selectionSet,
            fragments,
          )(suppressFlows(cells, 'YEAR', threshold), 0);
          const projected = project(
            fullObject(buildFlowReport(cells, 'YEAR', threshold)),
            field.selectionSet,
            fragments,
          );
          expect(JSON.stringify(viewed)).toBe(JSON.stringify(projected));
        }
      }),
      { numRuns: 60 },
    );
  });
});
