/**
 * The preload (sandboxed, bundled to CommonJS): exposes exactly the LabApi as `window.lab` through
 * contextBridge. One named function per command, each invoking its own channel of the IPC contract; replies
 * and events are validated here before the page sees them. `saveFile` hands a file to main, which asks the
 * user where to save it. ipcRenderer itself is never exposed.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createLabApi, type LabEventListener, type LabTransport } from '../src/protocol/lab-api';
import { parseResult, type Command, type CommandResult, type CommandType } from '../src/protocol/messages';
import {
  IPC_EVENT_CHANNEL,
  IPC_SAVE_FILE_CHANNEL,
  channelOf,
  eventsFromIpc,
  ipcReplySchema,
  payloadOf,
  saveFileResultSchema,
} from './ipc-contract';

const listeners = new Set<LabEventListener>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, raw: unknown) => {
  for (const event of eventsFromIpc(raw)) {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('lab event listener failed', error);
      }
    }
  }
});

const transport: LabTransport = {
  async request<K extends CommandType>(command: Extract<Command, { type: K }>): Promise<CommandResult<K>> {
    const raw: unknown = await ipcRenderer.invoke(channelOf(command.type), payloadOf(command));
    const reply = ipcReplySchema.safeParse(raw);
    if (!reply.success) throw new Error(`The app sent an invalid reply to "${command.type}".`);
    if (!reply.data.ok) throw new Error(reply.data.error);
    const result = parseResult(command.type as K, reply.data.result);
    if (!result.ok) throw new Error(result.error);
    return result.value;
  },
  subscribe(listener: LabEventListener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  async saveFile(file) {
    const raw: unknown = await ipcRenderer.invoke(IPC_SAVE_FILE_CHANNEL, {
      name: file.name,
      mime: file.mime,
      data: file.data,
    });
    const reply = ipcReplySchema.safeParse(raw);
    if (!reply.success) throw new Error('The app sent an invalid reply to "save file".');
    if (!reply.data.ok) throw new Error(reply.data.error);
    const result = saveFileResultSchema.safeParse(reply.data.result);
    if (!result.success) throw new Error('The app sent an invalid reply to "save file".');
    return result.data;
  },
};

contextBridge.exposeInMainWorld('lab', createLabApi('electron', transport));
