import { Registry } from '../../core/registry.js';
import type { DependencyKind } from '../types.js';
import { postgresDependency } from './postgres.js';
import { redisDependency } from './redis.js';

/** Dependency kinds by name (postgres, redis). */
export const dependencyKinds = new Registry<DependencyKind<any>>('dependency kind');
dependencyKinds.register('postgres', postgresDependency);
dependencyKinds.register('redis', redisDependency);
