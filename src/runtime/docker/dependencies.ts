import { Registry } from '../../core/registry.js';
import type { DependencyKind } from '../types.js';
import { dockerPostgres } from './postgres.js';
import { dockerRedis } from './redis.js';

/** Dependency kinds the docker runtime runs in containers. */
export const dockerDependencyKinds = new Registry<DependencyKind>('dependency kind');
dockerDependencyKinds.register('postgres', dockerPostgres);
dockerDependencyKinds.register('redis', dockerRedis);
