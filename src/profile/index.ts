export { clinicBin, profilableCommand, profiledService, profileReports, profileTools, withoutProbeRequire, type ProfileReport, type ProfileTool } from './clinic.js';
