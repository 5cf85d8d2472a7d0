// web-ext ships no types; src/build/package.ts describes the two commands it uses.
declare module 'web-ext' {
  const webExt: unknown;
  export default webExt;
}
