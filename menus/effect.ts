/** A named effect of a menu: a promise actor the runner provides; unprovided, it fails. */
import { fromPromise } from 'xstate';

/** Declares effect `name` taking `I` and giving `O`. */
export function effect<I, O>(name: string) {
  return fromPromise<O, I>(async () => {
    throw new Error(`menu effect ${name} was not provided by the runner`);
  });
}
