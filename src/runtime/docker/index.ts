export { dockerRuntime } from './runtime.js';
export { dockerDependencyKinds } from './dependencies.js';
export { setupDocker, type SetupOutcome } from './setup.js';
export { dockerDoctor, type DoctorLine } from './doctor.js';
