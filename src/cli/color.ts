import type { CliIO } from './io.js';

/** Colours on when forced by a flag, else by FORCE_COLOR / NO_COLOR, else when stdout is a terminal. */
export function useColor(flag: boolean | undefined, io: CliIO): boolean {
  if (flag !== undefined) return flag;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.stdout.isTTY === true;
}
