// Per-request subgraph timing: wall time with at least one fetch in flight, sent as Server-Timing.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';

/** Union of the request's fetch intervals: its subgraph time on the plan's critical path. */
export class FetchTimeline {
  private active = 0;
  private since = 0;
  busyMs = 0;
  fetches = 0;

  begin(): () => void {
    if (this.active++ === 0) this.since = performance.now();
    this.fetches++;
    return () => {
      if (--this.active === 0) this.busyMs += performance.now() - this.since;
    };
  }
}

export interface TimedContext {
  timeline?: FetchTimeline;
}

/** Records each fetch of `source` on the request's timeline, when the request carries one. */
export function timedDataSource(source: GraphQLDataSource): GraphQLDataSource {
  return {
    async process(request: GraphQLDataSourceProcessOptions) {
      const timeline = (request.context as TimedContext | undefined)?.timeline;
      if (!timeline) return source.process(request);
      const end = timeline.begin();
      try {
        return await source.process(request);
      } finally {
        end();
      }
    },
  };
}

/** Wraps a gateway's buildService so every data source it builds is timed, when `enabled`. */
export function timedServices<S>(
  enabled: boolean | undefined,
  build: (service: S) => GraphQLDataSource,
): (service: S) => GraphQLDataSource {
  return enabled ? (service) => timedDataSource(build(service)) : build;
}

/** Adds `Server-Timing: gateway;dur=…, subgraphs;dur=…;desc=<fetches>` to each answer. */
export function serverTimingPlugin<C extends TimedContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, response }) {
          const timeline = contextValue.timeline;
          if (!timeline) return;
          const total = performance.now() - started;
          response.http.headers.set(
            'server-timing',
            `gateway;dur=${total.toFixed(2)}, subgraphs;dur=${timeline.busyMs.toFixed(2)};desc=${timeline.fetches}`,
          );
        },
      };
    },
  };
}
