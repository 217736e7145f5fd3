import { describe, expect, it } from 'vitest';
import { projectFacts } from '../../src/init/index.js';

describe('what soak init reads from package.json', () => {
  it('takes the start script as the command and a scenario name from the package name', () => {
    const facts = projectFacts({ name: '@acme/orders-api', main: 'index.js', scripts: { start: 'node server.js --cluster' } });
    expect(facts).toMatchObject({ name: 'acme-orders-api', cmd: 'node server.js --cluster', cmdSource: 'the start script of package.json' });
  });

  it('falls back to node <main>, and a --cmd wins over both', () => {
    expect(projectFacts({ main: 'dist/main.js' }).cmd).toBe('node dist/main.js');
    expect(projectFacts({ main: 'dist/main.js', scripts: { start: 'node a.js' } }, 'node b.js')).toMatchObject({ cmd: 'node b.js', cmdSource: '--cmd' });
  });

  it('infers PostgreSQL from pg and Redis from redis or ioredis, in dependencies or devDependencies', () => {
    expect(projectFacts({ main: 'i.js', dependencies: { pg: '^8', express: '^5' } }).dependencies).toEqual([{ kind: 'postgres', because: 'pg' }]);
    expect(projectFacts({ main: 'i.js', dependencies: { ioredis: '^5' }, devDependencies: { pg: '^8' } }).dependencies).toEqual([
      { kind: 'postgres', because: 'pg' },
      { kind: 'redis', because: 'ioredis' },
    ]);
    expect(projectFacts({ main: 'i.js', dependencies: { redis: '^4' } }).dependencies).toEqual([{ kind: 'redis', because: 'redis' }]);
    expect(projectFacts({ main: 'i.js', dependencies: { express: '^5' } }).dependencies).toEqual([]);
  });

  it('says in one line what to do when package.json names no way to start the service', () => {
    expect(() => projectFacts({ name: 'lib' })).toThrow(/^package\.json has no start script and no main: give the command that starts the service with --cmd "node server\.js"$/);
  });
});
