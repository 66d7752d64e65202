// Who counts as a partner of a municipality: a fixed list from its policy file, or the members
// bound to it by an agreement in force, asked of the registry (signed with the municipality's own key)
// and kept for a short time.
// When the registry cannot answer, partners are unknown and partner-only grants are refused.
import { z } from 'zod';
import { signedPost } from '../../../common/directory-client';
import type { Logger } from '../../../common/logger';
import type { MemberKeyring } from '../../../common/member-keys';

export type PartnerView =
  | { known: true; partners: ReadonlySet<string>; source: string }
  | { known: false; reason: string };

export interface PartnerSource {
  /** The current view: synchronous while a fresh answer is cached, a promise when one is fetched. */
  view(): PartnerView | Promise<PartnerView>;
}

export function fixedPartners(codes: readonly string[]): PartnerSource {
  const view: PartnerView = { known: true, partners: new Set(codes), source: 'the policy file' };
  return { view: () => view };
}

export interface RegistryPartnersOptions {
  /** The municipality whose partners are asked for. */
  municipality: string;
  /** The registry's GraphQL endpoint; undefined while it is not known. */
  registryUrl: () => string | undefined;
  /** The municipality's own keys: the registry accepts only calls signed by a member's key. */
  keyring: MemberKeyring;
  /** How long an answer is trusted. */
  ttlMs: number;
  timeoutMs: number;
  /** Clock of the cache and of the date agreements must be in force on. */
  now: () => number;
  /** Clock of signature timestamps; defaults to `now`. */
  signatureNow?: () => number;
  fetch?: typeof fetch;
  log: Logger;
}

const PARTNERS_QUERY = `query MunicipalPartners($municipality: ID!, $at: Date) {
  agreements(municipality: $municipality) { id parties { municipality { code } } inForce(at: $at) }
}`;

const Answer = z.object({
  data: z.object({
    agreements: z.array(
      z.object({
        id: z.string(),
        parties: z.array(z.object({ municipality: z.object({ code: z.string() }) })),
        inForce: z.boolean(),
      }),
    ),
  }),
});

type CacheState =
  | { phase: 'empty' }
  | { phase: 'fresh'; view: PartnerView & { known: true }; until: number }
  | { phase: 'fetching'; pending: Promise<PartnerView> };

/** The members bound to `municipality` by an agreement in force today (by the given clock). */
export function agreementsInForce(options: RegistryPartnersOptions): PartnerSource {
  const fetchFn = options.fetch ?? fetch;
  const signatureNow = options.signatureNow ?? options.now;
  const log = options.log.child({ component: 'partners', municipality: options.municipality });
  let state: CacheState = { phase: 'empty' };

  async function ask(): Promise<PartnerView> {
    const url = options.registryUrl();
    if (!url) return { known: false, reason: 'no registry is configured' };
    const at = new Date(options.now()).toISOString().slice(0, 10);
    const body = JSON.stringify({
      query: PARTNERS_QUERY,
      variables: { municipality: options.municipality, at },
    });
    try {
      const res = await fetchFn(url, {
        method: 'POST',
        headers: signedPost(options.keyring, url, body, signatureNow()),
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const parsed = Answer.safeParse(await res.json());
      if (!res.ok || !parsed.success) {
        log.warn({ status: res.status }, 'the registry gave no usable list of agreements');
        return { known: false, reason: `the registry answered HTTP ${res.status} without agreements` };
      }
      const partners = new Set<string>();
      const binding: string[] = [];
      for (const a of parsed.data.data.agreements) {
        if (!a.inForce) continue;
        binding.push(a.id);
        for (const p of a.parties) partners.add(p.municipality.code);
      }
      partners.delete(options.municipality);
      return {
        known: true,
        partners,
        source: `agreements in force on ${at} (${binding.join(', ') || 'none'})`,
      };
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'the registry could not be asked for agreements');
      return { known: false, reason: 'the registry could not be reached' };
    }
  }

  return {
    view() {
      if (state.phase === 'fresh' && options.now() < state.until) return state.view;
      if (state.phase === 'fetching') return state.pending;
      const pending = ask().then((view) => {
        // Only a real answer is kept; after a failure the next request asks again.
        state = view.known
          ? { phase: 'fresh', view, until: options.now() + options.ttlMs }
          : { phase: 'empty' };
        return view;
      });
      state = { phase: 'fetching', pending };
      return pending;
    },
  };
}
