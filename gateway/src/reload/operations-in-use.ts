// The operations clients have sent lately (their text, as validated against the running schema):
// a new supergraph must keep each of them valid before it replaces the running one.
import type { ApolloServerPlugin } from '@apollo/server';

/** At most this many distinct operation texts are kept; the one seen longest ago goes first. */
export const OPERATIONS_KEPT = 2000;

export class OperationsInUse implements Iterable<string> {
  private readonly texts = new Map<string, true>();

  constructor(private readonly capacity = OPERATIONS_KEPT) {}

  note(text: string): void {
    if (this.texts.has(text)) this.texts.delete(text);
    else if (this.texts.size >= this.capacity) {
      const oldest = this.texts.keys().next().value;
      if (oldest !== undefined) this.texts.delete(oldest);
    }
    this.texts.set(text, true);
  }

  [Symbol.iterator](): Iterator<string> {
    return [...this.texts.keys()][Symbol.iterator]();
  }

  /** A plugin that notes each operation once it has passed validation. */
  plugin<C extends object>(): ApolloServerPlugin<C> {
    const note = (text: string) => this.note(text);
    return {
      async requestDidStart() {
        return {
          async didResolveOperation({ source }) {
            note(source);
          },
        };
      },
    };
  }
}
