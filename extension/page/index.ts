// Page world, document_start, every frame: observe WebSocket. Must be a standalone IIFE (see vite.config.ts).
import { installCapture } from '../../src/capture/install';
import { reportInstallFailure } from '../../src/capture/install-failure';

try {
  installCapture(globalThis);
} catch {
  // capture failing must never break the page, and must not be silent: the panel shows a capture error
  try { reportInstallFailure(globalThis); } catch { /* nothing more can be done */ }
}
