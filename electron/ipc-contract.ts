/**
 * The IPC contract between the preload and Electron main, shared by both: one channel per command
 * (`lab:<command>`), each with the zod schema of its payload (the command without `type`) and of its reply,
 * the save-file channel (renderer → main: a file for the user, saved through a native dialog), and the one
 * event channel main → renderer (coalesced: each message carries an array of events). Main validates every
 * payload (types alone check nothing at run time); the preload validates every reply and event it receives.
 */
import { z } from 'zod';
import {
  MAX_EVENTS_PER_MESSAGE,
  commandResultSchemas,
  commandSchema,
  describeZodError,
  fileNameSchema,
  labEventSchema,
  parseEventList,
  type Command,
  type CommandType,
  type LabEvent,
  type Parsed,
} from '../src/protocol/messages';

export const IPC_PREFIX = 'lab:';
/** Main → renderer: LabEvent[] (the events of one loop turn). */
export const IPC_EVENT_CHANNEL = 'lab:events';
/** Renderer → main: a file for the user (`saveFilePayloadSchema`); replies `{ saved: path | null }`. */
export const IPC_SAVE_FILE_CHANNEL = 'lab:save-file';

/** Largest file the renderer may hand to main (a long WebM recording stays well below this). */
export const MAX_SAVE_BYTES = 1024 * 1024 * 1024;

export const saveFilePayloadSchema = z
  .object({
    name: fileNameSchema,
    mime: z.string().max(100),
    data: z
      .instanceof(Uint8Array)
      .refine((d) => d.byteLength <= MAX_SAVE_BYTES, `must be at most ${MAX_SAVE_BYTES} bytes`),
  })
  .strict();
export type SaveFilePayload = z.infer<typeof saveFilePayloadSchema>;
export const saveFileResultSchema = z.object({ saved: z.string().max(4096).nullable() });

/** The events of one IPC event message; an invalid one becomes an `error` event naming the problem. */
export function eventsFromIpc(raw: unknown): LabEvent[] {
  const list = z.array(z.unknown()).max(MAX_EVENTS_PER_MESSAGE).safeParse(raw);
  if (!list.success) return [{ type: 'error', message: describeZodError(list.error, 'event message') }];
  return parseEventList(list.data);
}

export type CommandChannel = `${typeof IPC_PREFIX}${CommandType}`;

export function channelOf(type: CommandType): CommandChannel {
  return `${IPC_PREFIX}${type}`;
}

/** Payload schema per command (the command object without its `type`). */
const payloadSchemas = Object.fromEntries(
  commandSchema.options.map((option) => {
    const object = option as unknown as z.ZodObject<z.ZodRawShape>;
    return [option.shape.type.value, object.omit({ type: true }).strict()];
  }),
) as unknown as Record<CommandType, z.ZodType<Record<string, unknown>>>;

export const COMMAND_TYPES = commandSchema.options.map((o) => o.shape.type.value) as CommandType[];
export const COMMAND_CHANNELS: readonly CommandChannel[] = COMMAND_TYPES.map(channelOf);

/** Reply envelope: errors travel as data so the renderer gets our sentence, not Electron's wrapper text. */
export const ipcReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.string().max(10_000) }),
]);
export type IpcReply = z.infer<typeof ipcReplySchema>;

/** The command type a channel carries, or null for a channel that is not ours. */
export function commandTypeOf(channel: string): CommandType | null {
  if (!channel.startsWith(IPC_PREFIX)) return null;
  const type = channel.slice(IPC_PREFIX.length) as CommandType;
  return COMMAND_TYPES.includes(type) ? type : null;
}

/** Validate a payload received on `channel` and rebuild the full command. */
export function commandFromIpc(channel: string, payload: unknown): Parsed<Command> {
  const type = commandTypeOf(channel);
  if (!type) return { ok: false, error: `Unknown IPC channel "${channel.slice(0, 100)}".` };
  const parsed = payloadSchemas[type].safeParse(payload ?? {});
  if (!parsed.success) return { ok: false, error: describeZodError(parsed.error, `payload of "${type}"`) };
  const command = commandSchema.safeParse({ ...parsed.data, type });
  return command.success
    ? { ok: true, value: command.data }
    : { ok: false, error: describeZodError(command.error, `payload of "${type}"`) };
}

/** The payload to send for a command (what `commandFromIpc` expects). */
export function payloadOf(command: Command): Record<string, unknown> {
  const { type: _type, ...rest } = command;
  return rest;
}

export { commandResultSchemas, labEventSchema };
