import { Registry } from '../../core/registry.js';
import type { DependencyKind } from '../types.js';

/** Dependency kinds by name (postgres, redis). */
export const dependencyKinds = new Registry<DependencyKind<any>>('dependency kind');
