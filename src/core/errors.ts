/** Exit codes are part of the CLI contract: CI jobs branch on them. */
export const ExitCode = { pass: 0, fail: 1, usage: 2 } as const;

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
