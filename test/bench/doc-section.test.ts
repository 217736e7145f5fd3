import { describe, expect, it } from 'vitest';
import { withSection } from '../../bench/doc-section.js';

describe('a section of docs/accuracy.md owned by one bench', () => {
  const doc = '<!-- seeds:begin -->\n# Detection accuracy\nold seeds\n<!-- seeds:end -->\n';

  it('is appended after what the file holds when it is not there yet', () => {
    expect(withSection(doc, 'corpus', '## Corpus\nfirst')).toBe(`${doc}\n<!-- corpus:begin -->\n## Corpus\nfirst\n<!-- corpus:end -->\n`);
  });

  it('is replaced in place, the other bench section kept as it was', () => {
    const both = withSection(doc, 'corpus', 'first');
    const again = withSection(withSection(both, 'corpus', 'second'), 'seeds', 'new seeds');
    expect(again).toBe('<!-- seeds:begin -->\nnew seeds\n<!-- seeds:end -->\n\n<!-- corpus:begin -->\nsecond\n<!-- corpus:end -->\n');
  });
});
