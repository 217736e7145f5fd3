/**
 * The argv that runs a command line with /bin/sh. A simple command replaces the shell (`exec`),
 * so the pid soak samples and signals is the service's own; a compound one (with operators)
 * keeps the shell as the service's root process. Leading assignments (`VARIANT=fixed node x.js`)
 * stay in front of `exec`, which passes them on in the environment.
 */
export function shellArgv(command: string): string[] {
  const isSimple = !/[;&|<>()`$\n]/.test(command);
  if (!isSimple) return ['/bin/sh', '-c', command];
  const [, assignments, program] = /^((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)([\s\S]*)$/.exec(command.trim())!;
  return ['/bin/sh', '-c', `${assignments}exec ${program}`];
}
