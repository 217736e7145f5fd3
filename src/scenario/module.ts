import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { SoakError, type SoakErrorCode } from '../core/errors.js';

/** esbuild's "Transform failed" lists each error as `<file>:<line>:<column>: ERROR: <text>`. */
const transformError = /^(.+):(\d+):(\d+): ERROR: (.+)$/m;

/** The one line a user needs about a file that does not load: a syntax error with its place, or the error's first line. */
function loadError(file: string, error: unknown, code: SoakErrorCode): SoakError {
  const message = String((error as Error)?.message ?? error);
  const syntax = transformError.exec(message);
  if (syntax) {
    const [, path, line, column, text] = syntax;
    const where = resolve(path!) === resolve(file) ? file : relative(process.cwd(), path!);
    return new SoakError(code, `${where}:${line}:${column}: syntax error: ${text}`, { cause: error });
  }
  return new SoakError(code, `${file}: cannot load: ${message.split('\n')[0]}`, { cause: error });
}

/**
 * The default export of a .ts/.js file, else the export called `named`; undefined when it has
 * neither. tsx hands a TypeScript file over as CommonJS: its exports object (marked __esModule) is
 * the module's `default`, and the real default export is one level down. A plain CommonJS file's
 * exports object is its default export, unless it is empty: a file that exports nothing.
 */
export async function importDefault(file: string, named?: string, code: SoakErrorCode = 'scenario'): Promise<unknown> {
  let module: Record<string, unknown>;
  try {
    module = (await tsImport(pathToFileURL(resolve(file)).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    throw loadError(file, error, code);
  }
  const exported = module.default;
  const namedExport = named === undefined ? undefined : module[named];
  if (exported === null || typeof exported !== 'object') return exported ?? namedExport;
  if ((exported as { __esModule?: boolean }).__esModule) return (exported as { default?: unknown }).default ?? namedExport;
  return Object.keys(exported).length > 0 ? exported : namedExport;
}
