import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../helpers/cli.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

describe('newsbrief extract on hostile files', () => {
  it('reports binary data as an error and keeps answering for the files after it', () => {
    const dir = tempDir();
    const binary = join(dir, 'image.html');
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    writeFileSync(binary, bytes);
    const deep = join(dir, 'deep.html');
    writeFileSync(
      deep,
      `<title>깊은 페이지</title>${'<div>'.repeat(100_000)}<p>정부가 반도체 실증 사업에 1200억원을 투입한다고 밝혔다. 선정 기업은 국내 데이터센터에서 성능을 검증받는다.</p>`,
    );
    const text = join(dir, 'broken.txt');
    const article = '삼성전자가 차세대 메모리를 공개했다. 회사는 전력 소모를 40% 줄였다고 밝혔다.';
    writeFileSync(
      text,
      Buffer.concat([Buffer.from('삼성전자, 차세대 메모리 공개\n\n'), Buffer.from([0xff]), Buffer.from(article)]),
    );

    const lines = jsonLines(runCli(['extract', binary, deep, text]).stdout);
    expect(lines.map((l) => l.file)).toEqual([binary, deep, text]);
    expect(lines[0]).toEqual({ file: binary, error: 'not an HTML page: binary data' });
    expect(lines[1]?.title).toBe('깊은 페이지');
    expect(lines[1]?.text).toContain('1200억원');
    expect(lines[2]?.title).toBe('삼성전자, 차세대 메모리 공개');
    expect(lines[2]?.text).toBe(`\ufffd${article}`);
  });
});
