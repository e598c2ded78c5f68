/**
 * The renderer's single way to get the LabApi: `window.lab` if the Electron preload set it, else a
 * WebSocket client with the token the page took from its URL (page-token.ts; web shell; files are given to
 * the user as downloads).
 * Call once at startup.
 */
import type { LabApi } from '../../src/protocol/lab-api';
import { downloadFile } from './download';
import { takePageToken } from './page-token';
import { createWsLab } from './ws-client';

export type { LabApi } from '../../src/protocol/lab-api';

export function getLab(): LabApi {
  if (window.lab) return window.lab;
  const lab = createWsLab(window.location.href, takePageToken(window), downloadFile);
  window.lab = lab;
  return lab;
}
