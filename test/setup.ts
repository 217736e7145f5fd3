/**
 * Everything a test file starts (soak, and through it targets and dependencies) inherits this
 * marker, so the leak checks in helpers/processes.ts count this file's processes only, not those
 * of another suite running on the same machine.
 */
process.env.SOAK_TEST_OWNER = String(process.pid);
