/**
 * Names of the hook's functions that must print like native code: the build
 * (src/build/native-text.ts) renames `${NATIVE_TEXT}send` to `send` and pads
 * it so V8 prints `function send() { [native code] }`.
 */
export const NATIVE_TEXT = '__nativeText_';
/** Starts the padding comment; a hook in another realm recognises its functions by it. */
export const NATIVE_TEXT_COMMENT = 'wsi:native-text';
