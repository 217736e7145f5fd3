/**
 * docs/accuracy.md is written by two benches (the seed matrix and the corpus), each owning a section
 * between its own markers, so regenerating one keeps the other.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const markers = (name: string) => [`<!-- ${name}:begin -->`, `<!-- ${name}:end -->`] as const;

/** The file with the named section replaced by `content`; appended when the file has no such section yet. */
export function withSection(text: string, name: string, content: string): string {
  const [begin, end] = markers(name);
  const block = `${begin}\n${content.trim()}\n${end}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) return `${text.slice(0, from)}${block}${text.slice(to + end.length)}`;
  return `${text.trimEnd()}${text.trim() ? '\n\n' : ''}${block}\n`;
}

export function writeSection(file: string, name: string, content: string): void {
  writeFileSync(file, withSection(existsSync(file) ? readFileSync(file, 'utf8') : '', name, content));
}
