import { constants } from 'node:os';

/**
 * Exit codes are part of the CLI contract: CI jobs branch on them. `incomplete`: the run did not
 * carry out its plan (interrupted, killed, target never ready, nothing got through), so it was not judged.
 */
export const ExitCode = { pass: 0, fail: 1, usage: 2, incomplete: 3 } as const;

/** The exit code of a verdict (see analyze/verdict.ts). */
export function verdictExitCode(verdict: 'pass' | 'fail' | 'incomplete'): number {
  return ExitCode[verdict];
}

/** What a shell reports for a process ended by the signal: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

export type SoakErrorCode = 'usage' | 'scenario' | 'runtime' | 'dependency' | 'load' | 'io' | 'unsupported';

/**
 * An error meant for the user: one line, naming the field or the cause.
 * Anything else that escapes is a bug in soak and is shown with its stack only under --debug.
 */
export class SoakError extends Error {
  readonly code: SoakErrorCode;
  constructor(code: SoakErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SoakError';
    this.code = code;
  }

  get exitCode(): number {
    return this.code === 'usage' || this.code === 'scenario' ? ExitCode.usage : ExitCode.fail;
  }
}

export function isSoakError(error: unknown): error is SoakError {
  return error instanceof SoakError;
}
