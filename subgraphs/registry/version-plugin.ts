// States the reference data's version in every registry answer; mutations read it fresh at each use.
import type { ApolloServerPlugin } from '@apollo/server';
import { REGISTRY_VERSION_EXTENSION } from '../../schema/registry-version';
import type { ReferenceReader } from './reference';

export function registryVersionPlugin<C extends { reference: ReferenceReader }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          // A write must see itself in the fields it answers with, and state the version after it.
          if (operation?.operation === 'mutation') contextValue.reference.fresh();
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          // Without the database the answer states no version, and readers keep nothing from it.
          const version = await contextValue.reference.read().then(
            (data) => data.version,
            () => null,
          );
          if (version === null) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [REGISTRY_VERSION_EXTENSION]: version };
        },
      };
    },
  };
}
