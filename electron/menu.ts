/**
 * The application menu: File → New session, Open session…, Export (CSV / JSON), Quit; Help → About
 * (versions and backend). The actions are passed in, so the template is plain data and testable.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  newSession(): void;
  openSession(): void;
  exportSession(format: 'csv' | 'json'): void;
  about(): void;
  quit(): void;
}

export function menuTemplate(actions: MenuActions, isMac: boolean): MenuItemConstructorOptions[] {
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New session', accelerator: 'CmdOrCtrl+N', click: () => actions.newSession() },
        { label: 'Open session…', accelerator: 'CmdOrCtrl+O', click: () => actions.openSession() },
        {
          label: 'Export',
          submenu: [
            { label: 'Session as CSV', click: () => actions.exportSession('csv') },
            { label: 'Session as JSON', click: () => actions.exportSession('json') },
          ],
        },
        { type: 'separator' },
        { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Help', submenu: [{ label: 'About Continual RL Lab', click: () => actions.about() }] },
  ];
}

/** The About box's text: app, runtime and backend versions. */
export function aboutText(versions: Record<string, string>, backend: string | null): string {
  const lines = Object.entries(versions).map(([k, v]) => `${k}: ${v}`);
  lines.push(`tfjs backend: ${backend ?? 'not started yet'}`);
  return lines.join('\n');
}
