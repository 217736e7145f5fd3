import { Registry } from '../../core/registry.js';
import { dockerDependencyKinds } from '../docker/dependencies.js';
import type { DependencyKind } from '../types.js';
import { postgresDependency } from './postgres.js';
import { redisDependency } from './redis.js';

/** Dependency kinds by name (postgres, redis). */
export const dependencyKinds = new Registry<DependencyKind>('dependency kind');
dependencyKinds.register('postgres', postgresDependency);
dependencyKinds.register('redis', redisDependency);

/** Dependency kinds by the runtime that runs them: a scenario's `runtime: 'docker'` gets containers. */
export const dependencyRuntimes = new Registry<Registry<DependencyKind>>('dependency runtime');
dependencyRuntimes.register('local', dependencyKinds);
dependencyRuntimes.register('docker', dockerDependencyKinds);
