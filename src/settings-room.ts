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
  /** The file that owns these settings (the reference names it). */
  readonly file: string;
  /** The page under docs/ that explains how to choose them. */
  readonly guide?: string;
  readonly env: Shape;
}

/** Declares a room's settings (an identity function that keeps the variables' literal names in the type). */
export function settingsRoom<const Shape extends EnvShape>(room: SettingsRoom<Shape>): SettingsRoom<Shape> {
  return room;
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

/** A `1`/`0` switch. */
export const flag = () => z.enum(['0', '1']);

/** A variable whose default depends on the situation: `defaultIs` says it in the reference. */
export function situational<T extends z.ZodType>(schema: T, description: string, defaultIs: string): T {
  return schema.meta({ description, defaultIs });
}
