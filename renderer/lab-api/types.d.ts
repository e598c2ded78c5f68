/**
 * Declares `window.lab` for the renderer: the typed LabApi set by the Electron preload, or created by the
 * renderer's entry from the WebSocket client (renderer/lab-api/ws-client.ts) in the web shell.
 */
import type { LabApi } from '../../src/protocol/lab-api';

declare global {
  interface Window {
    /** Present when the Electron preload exposed it; the web shell's entry creates it otherwise. */
    lab?: LabApi;
  }
}

export {};
