import type { z } from 'zod';
import { SoakError } from '../core/errors.js';

/**
 * A scenario (or budgets file, or ad-hoc flag) error: the field as the user wrote it and what is
 * wrong with it, kept apart so the command line can name its own flag instead of the field.
 */
export class ScenarioError extends SoakError {
  constructor(
    /** `load.phases[2].rate`; empty for the whole scenario. */
    readonly field: string,
    readonly reason: string,
    readonly file?: string,
  ) {
    super('scenario', `${file ? `${file}: ` : ''}${field ? `${field}: ` : ''}${reason}`);
  }
}

/** `phases[2].rate` from ['phases', 2, 'rate'], prefixed by where the object sits in the scenario. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let text = prefix.replace(/\.$/, '');
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

/** Where the issue is and what it says; a failed union reports the branch that got furthest, usually the one meant. */
function resolveIssue(issue: z.core.$ZodIssue, basePath: readonly PropertyKey[] = []): { path: PropertyKey[]; message: string } {
  const path = [...basePath, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const deepest = issue.errors
      .map((branch) => branch[0])
      .filter((entry): entry is z.core.$ZodIssue => entry !== undefined)
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (deepest && deepest.path.length > 0) return resolveIssue(deepest, path);
  }
  if (issue.code === 'unrecognized_keys') {
    return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}` };
  }
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return { path, message: issue.input === undefined ? `required, expected ${issue.expected}` : `expected ${issue.expected}` };
  }
  return { path, message: issue.message };
}

/** The first problem of a failed parse, as one line naming the field: `load.phases[2].rate: expected a positive number`. */
export function scenarioError(error: z.ZodError, prefix = '', file?: string): ScenarioError {
  const issue = error.issues[0]!;
  const { path, message } = resolveIssue(issue);
  const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : '';
  const field = formatPath(path, prefix);
  // At the top of a file there is no field to name but the unknown one itself: `budgets.json: p98: unknown field`.
  if (field === '' && issue.code === 'unrecognized_keys' && issue.keys.length === 1) return new ScenarioError(issue.keys[0]!, `unknown field${more}`, file);
  return new ScenarioError(field, `${message}${more}`, file);
}

export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, prefix: string, file?: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw scenarioError(result.error, prefix, file);
  return result.data;
}
