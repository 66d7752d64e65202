// The per-shard circuit breaker on an injected clock: open after N failures, one probe later.
import { CircuitBreakers } from '../../gateway/src/fanout/breaker';

function breakers(threshold = 3) {
  const clock = { now: 0 };
  return {
    clock,
    b: new CircuitBreakers({ failureThreshold: threshold, coolDownMs: 1000, now: () => clock.now }),
  };
}

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures and skips until the cool-down ends', () => {
    const { clock, b } = breakers();
    for (let i = 0; i < 2; i++) {
      expect(b.admit('u')).toBe('call');
      b.record('u', false);
    }
    expect(b.admit('u')).toBe('call');
    b.record('u', false);
    expect(b.state('u').phase).toBe('open');
    clock.now = 999;
    expect(b.admit('u')).toBe('skip');
    expect(b.admit('other')).toBe('call');
  });

  it('counts only consecutive failures', () => {
    const { b } = breakers();
    b.record('u', false);
    b.record('u', false);
    b.record('u', true);
    b.record('u', false);
    b.record('u', false);
    expect(b.state('u')).toEqual({ phase: 'closed', failures: 2 });
  });

  it('lets one probe through after the cool-down: success closes, failure re-opens', () => {
    const { clock, b } = breakers(1);
    b.record('u', false);
    clock.now = 1000;
    expect(b.admit('u')).toBe('probe');
    expect(b.admit('u')).toBe('skip');
    b.record('u', false);
    expect(b.state('u')).toEqual({ phase: 'open', since: 1000 });
    clock.now = 2000;
    expect(b.admit('u')).toBe('probe');
    b.record('u', true);
    expect(b.admit('u')).toBe('call');
  });

  it('never opens when the threshold is 0', () => {
    const { b } = breakers(0);
    for (let i = 0; i < 10; i++) b.record('u', false);
    expect(b.admit('u')).toBe('call');
  });
});
