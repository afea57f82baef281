import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { PACKAGE_ROOT } from '../../src/paths.ts';

describe('the README', () => {
  it('shows a newsbrief.yaml that validates', () => {
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const block = /```yaml\n# newsbrief\.yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README has a ```yaml block starting with # newsbrief.yaml').toBeDefined();
    const config = parseConfig(block ?? '', 'README.md');
    expect(config.feeds.length).toBeGreaterThanOrEqual(4);
    expect(config.channels[0]?.platform).toBe('slack');
    expect(config.summaries.llm?.model).toBe('gpt-4o-mini');
  });
});
