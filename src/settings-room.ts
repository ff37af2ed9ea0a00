// How each room of src/ declares its settings: a zod shape of environment variables, each carrying its meaning
// (`.describe`) and its default (`.default`, or the `defaultIs` note where the default depends on the situation) in the
// schema itself. src/config.ts validates every room's shape at once; the misspelling check of the start notices and the
// generated reference (docs/configuration.md, `npm run docs:config`) read the same shapes, so a variable is written
// down in one place.
import { z } from 'zod';

export type EnvShape = Record<string, z.ZodType>;

/** One room's variables, with where they are owned and explained. */
export interface SettingsRoom<Shape extends EnvShape = EnvShape> {
  /** The heading of the room in docs/configuration.md. */
  readonly title: string;
  /** The module that owns these settings (its `import.meta.url`; the reference names its file). */
  readonly source: string;
  /** The page under docs/ that explains how to choose them. */
  readonly guide?: string;
  readonly env: Shape;
}

/** Declares a room's settings, keeping the variables' literal names in the type. */
export function settingsRoom<const Shape extends EnvShape>(room: Omit<SettingsRoom, 'env'>, env: Shape): SettingsRoom<Shape> {
  return { ...room, env };
}

/** The validated values of a room's variables. */
export type RoomValues<Room extends SettingsRoom> = { [K in keyof Room['env']]: z.output<Room['env'][K]> };

/**
 * An integer from the environment (a string) or a sources file (a number), with a message that quotes what was given:
 * `PORT: expected an integer, got "abc"` rather than zod's `received NaN`. The range is kept for the reference.
 */
export function int(min: number, max: number) {
  return z
    .unknown()
    .transform((value, ctx) => {
      const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
      if (text === undefined || !/^-?\d+$/.test(text)) {
        ctx.addIssue({ code: 'custom', message: `expected an integer, got ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      const number = Number(text);
      if (number < min || number > max) {
        ctx.addIssue({ code: 'custom', message: `expected an integer from ${min} to ${max}, got ${text}` });
        return z.NEVER;
      }
      return number;
    })
    .meta({ range: [min, max] });
}

/** The values of a room's variables when none is set: each variable's default, written once, in its schema. */
export function defaultsOf<Room extends SettingsRoom>(room: Room): RoomValues<Room> {
  return z.object(room.env).parse({}) as RoomValues<Room>;
}

/** A `1`/`0` switch. */
export const flag = () => z.enum(['0', '1']);

/** A variable whose default depends on the situation: `defaultIs` says it in the reference. */
export function situational<T extends z.ZodType>(schema: T, description: string, defaultIs: string): T {
  return schema.meta({ description, defaultIs });
}
