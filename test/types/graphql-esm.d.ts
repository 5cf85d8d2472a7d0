// graphql ships its ESM entry without a declaration of its own; it is the same API as 'graphql'.
declare module 'graphql/index.mjs';
