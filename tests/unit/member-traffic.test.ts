// Per-endpoint traffic state: the bounded queue behind a member's in-flight limit, and the latency
// estimate that sets the hedging delay.
import { LatencyEstimates } from '../../gateway/src/fanout/latency';
import { MemberQueues, type Release } from '../../gateway/src/fanout/member-queue';

const limits = { maxInFlight: 2, maxQueued: 1 };

describe('member queues', () => {
  it('lets calls in up to the limit, queues one more, and refuses the rest at once', async () => {
    const q = new MemberQueues();
    const a = q.acquire('u', limits) as Release;
    const b = q.acquire('u', limits) as Release;
    expect(typeof a).toBe('function');
    expect(typeof b).toBe('function');
    const waiting = q.acquire('u', limits);
    expect(waiting).toBeInstanceOf(Promise);
    expect(q.acquire('u', limits)).toBe('overloaded');
    expect(q.load('u')).toEqual({ inFlight: 2, queued: 1 });
    // Another endpoint has its own queue.
    expect(typeof q.acquire('v', limits)).toBe('function');
    a();
    a(); // a second release of the same slot changes nothing
    const c = await (waiting as Promise<Release>);
    expect(q.load('u')).toEqual({ inFlight: 2, queued: 0 });
    b();
    c();
    expect(q.load('u')).toEqual({ inFlight: 0, queued: 0 });
  });

  it('gives a hedge a slot only when one is free and nobody waits', () => {
    const q = new MemberQueues();
    const a = q.acquire('u', limits) as Release;
    expect(q.tryAcquire('u', limits)).toBeDefined();
    expect(q.tryAcquire('u', limits)).toBeUndefined();
    a();
    expect(q.load('u').inFlight).toBe(1);
  });

  it('forgets idle endpoints that left the region', () => {
    const q = new MemberQueues();
    const held = q.acquire('busy', limits) as Release;
    (q.acquire('idle', limits) as Release)();
    q.retain([]);
    expect(q.load('busy')).toEqual({ inFlight: 1, queued: 0 });
    held();
  });
});

describe('latency estimates', () => {
  it('gives no estimate before enough samples, then the quantile of the recent window', () => {
    const l = new LatencyEstimates({ window: 20, minSamples: 5 });
    for (const ms of [10, 20, 30, 40]) l.record('u', ms);
    expect(l.quantile('u', 0.95)).toBeUndefined();
    l.record('u', 1000);
    expect(l.quantile('u', 0.95)).toBe(1000);
    expect(l.quantile('u', 0.5)).toBe(30);
    // The window keeps only the last 20 samples: the slow one ages out.
    for (let i = 0; i < 20; i++) l.record('u', 5);
    expect(l.quantile('u', 0.95)).toBe(5);
    l.retain([]);
    expect(l.quantile('u', 0.95)).toBeUndefined();
  });
});
