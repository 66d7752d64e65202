// The soak's --database-server: refused, with the reason, where its processes could not reach it.
import { databaseServerProblem } from '../../scripts/soak/run';

describe('the soak on a database server', () => {
  it('takes a server on loopback for a loopback run, and any reachable address across hosts', () => {
    expect(databaseServerProblem('postgres://postgres@127.0.0.1:5432/postgres', false)).toBeNull();
    expect(databaseServerProblem('postgres://postgres@10.77.0.1:5432/postgres', true)).toBeNull();
  });

  it("refuses the host's loopback for a run across network namespaces", () => {
    for (const url of ['postgres://postgres@127.0.0.1:5432/postgres', 'postgres://localhost/postgres']) {
      expect(databaseServerProblem(url, true)).toMatch(
        /loopback, which processes in network namespaces cannot reach/,
      );
    }
  });

  it('refuses what is not a URL', () => {
    expect(databaseServerProblem('not a url', false)).toMatch(/^--database-server "not a url" is not a URL/);
  });
});
