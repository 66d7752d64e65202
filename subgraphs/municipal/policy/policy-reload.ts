// The release policies a municipal server applies, replaced while it serves: a changed policy file
// is read, checked and swapped in whole; a file that fails any check leaves the running policy in
// force (rolled back). A change of the partner list is reported as a reload of its own.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../../../common/logger';
import { type ReloadJournal, type WatchedFile, watchFileText } from '../../../common/reload';
import { type PolicyFile, parsePolicyText, type ReleasePolicy } from './policy';

/** One policy per municipality served; each read sees a whole policy, old or new. */
export class PolicyBook {
  private readonly byCode: Map<string, ReleasePolicy>;

  constructor(policies: readonly ReleasePolicy[]) {
    this.byCode = new Map(policies.map((p) => [p.municipality, p]));
  }

  get(code: string): ReleasePolicy | undefined {
    return this.byCode.get(code);
  }

  all(): ReleasePolicy[] {
    return [...this.byCode.values()];
  }

  replace(policy: ReleasePolicy): void {
    this.byCode.set(policy.municipality, policy);
  }
}

export interface PolicyFilesOptions {
  book: PolicyBook;
  /** The directory of <CODE>.json files. */
  dir: string;
  /** How often each file is looked at. */
  pollMs: number;
  /** Builds a policy from a checked file (with its partner source); throws when it cannot. */
  build: (file: PolicyFile) => ReleasePolicy;
  journal: ReloadJournal;
  log: Logger;
  /** The texts the running policies were read from, by code. */
  initial: ReadonlyMap<string, string>;
}

const version = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Checks one policy text for `code`: parsed, for this municipality, and buildable. */
function candidatePolicy(
  options: PolicyFilesOptions,
  code: string,
  text: string,
  path: string,
): ReleasePolicy {
  const file = parsePolicyText(text, path);
  if (file.municipality !== code)
    throw new Error(`${path} is the policy of ${file.municipality}, not of ${code}`);
  return options.build(file);
}

/** Watches every served municipality's policy file and applies each change that passes its checks. */
export function followPolicyFiles(options: PolicyFilesOptions): WatchedFile {
  const watchers = options.book.all().map((running) => {
    const code = running.municipality;
    const path = join(options.dir, `${code}.json`);
    const origin = `file ${code}.json`;
    return watchFileText(
      path,
      { intervalMs: options.pollMs, initial: options.initial.get(code) },
      (text) => {
        const before = options.book.get(code);
        let next: ReleasePolicy;
        try {
          next = candidatePolicy(options, code, text, path);
        } catch (e) {
          options.journal.record('policy', origin, {
            outcome: 'rolled_back',
            problems: [(e as Error).message],
          });
          return;
        }
        options.book.replace(next);
        options.journal.record('policy', origin, { outcome: 'applied', version: version(text) });
        const partners = JSON.stringify(next.partnersSetting());
        if (JSON.stringify(before?.partnersSetting()) !== partners)
          options.journal.record('partners', origin, { outcome: 'applied', version: version(partners) });
      },
      (e) => options.log.warn({ err: e.message, path }, 'policy file unreadable; the running policy stays'),
    );
  });
  return {
    stop: () => {
      for (const w of watchers) w.stop();
    },
  };
}
