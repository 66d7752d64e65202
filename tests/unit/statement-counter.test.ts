// The statement counter counts what a store asks of its database, the same on every driver.
import { StatementCounter } from '../../common/postgres';

describe('StatementCounter', () => {
  it('leaves out transaction control, which the PGlite driver never reports', () => {
    const counter = new StatementCounter();
    for (const q of ['begin', 'COMMIT', ' rollback', 'savepoint sp1', 'release savepoint sp1', 'select 1'])
      counter.logQuery(q);
    expect(counter.statements).toEqual(['select 1']);
    expect(counter.count).toBe(1);
  });

  it("leaves out the audit log's statements unless asked to count them", () => {
    const plain = new StatementCounter();
    const withAudit = new StatementCounter({ withAudit: true });
    for (const c of [plain, withAudit]) {
      c.logQuery('insert into "audit_log" values ($1)');
      c.logQuery('select "local_id" from "credential"');
    }
    expect([plain.count, withAudit.count]).toEqual([1, 2]);
  });

  it('counts statements that merely mention a transaction word', () => {
    const counter = new StatementCounter();
    counter.logQuery('select "begin_date" from "placement"');
    expect(counter.count).toBe(1);
  });
});
