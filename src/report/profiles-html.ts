import type { ProfileReport } from '../profile/index.js';
import { escapeHtml } from './escape.js';

const described: Record<string, string> = { flame: 'CPU flame graph', doctor: 'Doctor diagnosis' };

/** Links to the Clinic.js reports of a --profile run; they sit in the run directory, so the links are relative. */
export function profilesHtml(profiles: ProfileReport[]): string {
  if (profiles.length === 0) return '';
  const items = profiles.map(
    (profile) => `<li><a href="${escapeHtml(profile.path.split('/').map(encodeURIComponent).join('/'))}">${escapeHtml(`${described[profile.tool] ?? profile.tool} of ${profile.service}`)}</a> <span class="muted">(${escapeHtml(profile.path)}, Clinic.js)</span></li>`,
  );
  return `<section id="profiles"><h2>Profiles</h2><ul>${items.join('')}</ul></section>`;
}
