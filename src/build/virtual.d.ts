/** The worker hook's code, built by src/build/worker-hook.ts. */
declare module 'virtual:wsi-worker-hook' {
  const code: string;
  export default code;
}
