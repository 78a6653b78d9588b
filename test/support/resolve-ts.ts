/*
Lets a child process run the TypeScript sources directly (node
--experimental-transform-types --import this-file): a relative `./x.js` import that
has no .js file resolves to `./x.ts`, as tsc resolves it. Used by tests that need
several real processes built on the library, without building dist/ first.
*/
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) {
        return nextResolve(`${specifier.slice(0, -'.js'.length)}.ts`, context);
      }
      throw error;
    }
  },
});
