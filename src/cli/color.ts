// Colour only for a terminal, and never when NO_COLOR is set or --no-color is given.
import { Chalk, type ChalkInstance } from 'chalk';

export function colorFor(stream: NodeJS.WritableStream & { isTTY?: boolean }, noColorFlag: boolean, env = process.env): ChalkInstance {
  const disabled = noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || !stream.isTTY || env.TERM === 'dumb';
  return new Chalk({ level: disabled ? 0 : 1 });
}
