// Page world, document_start, every frame: observe WebSocket. Must be a standalone IIFE (see vite.config.ts).
import { installCapture } from '../../src/capture/install';

try {
  installCapture(globalThis);
} catch {
  // capture failing must never break the page
}
