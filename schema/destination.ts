// The destination of a verification or a recognition: the municipality where the holder would
// work. The API first called it `in`; `destination` is its name, and `in` stays as a deprecated alias.
import { crossgateError } from './errors';
import { municipalityCodeArgument } from './ids';

/** The arguments that name a destination: `destination`, or the deprecated `in`, or both alike. */
export interface DestinationArgs {
  destination?: string | null;
  in?: string | null;
}

/** The destination a caller asked about, checked; BAD_USER_INPUT when absent or when both disagree. */
export function destinationArgument(args: DestinationArgs): string {
  const { destination, in: alias } = args;
  if (destination != null && alias != null && destination !== alias) {
    throw crossgateError(
      'BAD_USER_INPUT',
      `destination and its deprecated alias in name different municipalities (${JSON.stringify(destination.slice(0, 20))}, ${JSON.stringify(alias.slice(0, 20))}); send destination alone`,
      { argumentName: 'destination' },
    );
  }
  if (destination != null) return municipalityCodeArgument(destination, 'destination');
  if (alias != null) return municipalityCodeArgument(alias, 'in');
  throw crossgateError(
    'BAD_USER_INPUT',
    'destination is required: the municipality where the holder would work, such as "NB"',
    { argumentName: 'destination' },
  );
}
