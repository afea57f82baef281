import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeDocument, normalizeCharset } from '../../src/text/charset.ts';

const korean = '똠방각하 한글 뉴스';
const cp949 = (text: string) => new Uint8Array(iconv.encode(text, 'cp949'));
const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

describe('decodeDocument', () => {
  it('follows a BOM first', () => {
    const text = '<rss>한글</rss>';
    expect(
      decodeDocument(concat(new Uint8Array([0xef, 0xbb, 0xbf]), Buffer.from(text)), {
        contentType: 'text/xml; charset=euc-kr',
      }),
    ).toEqual({ text, charset: 'utf-8' });
    expect(decodeDocument(concat(new Uint8Array([0xff, 0xfe]), Buffer.from(text, 'utf16le')))).toEqual({
      text,
      charset: 'utf-16le',
    });
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(decodeDocument(concat(new Uint8Array([0xfe, 0xff]), be))).toEqual({ text, charset: 'utf-16be' });
  });

  it('recognises BOM-less UTF-16 by its `<?` pattern', () => {
    const text = '<?xml version="1.0"?><rss>한글</rss>';
    expect(decodeDocument(Buffer.from(text, 'utf16le'))).toEqual({ text, charset: 'utf-16le' });
  });

  it('decodes every Korean label as CP949, case-insensitively', () => {
    for (const label of [
      'EUC-KR',
      'euc-kr',
      'KS_C_5601-1987',
      'CP949',
      'uhc',
      'x-windows-949',
      'windows-949',
      '"euc-kr"',
    ]) {
      expect(decodeDocument(cp949(korean), { contentType: `text/html; charset=${label}` })).toEqual({
        text: korean,
        charset: 'cp949',
      });
    }
  });

  it('reads the XML declaration, then <meta> anywhere in the first 4 KB', () => {
    const xml = concat(ascii('<?xml version="1.0" encoding="euc-kr"?><t>'), cp949(korean), ascii('</t>'));
    expect(decodeDocument(xml).charset).toBe('cp949');
    const padding = ascii(`<!doctype html><html><head>${' '.repeat(2000)}`);
    const meta = concat(padding, ascii('<meta charset="EUC-KR"><title>'), cp949(korean), ascii('</title>'));
    expect(decodeDocument(meta)).toMatchObject({ charset: 'cp949' });
    const httpEquiv = concat(
      ascii('<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">'),
      cp949(korean),
    );
    expect(decodeDocument(httpEquiv).text).toContain(korean);
  });

  it('prefers the HTTP header to the document', () => {
    const bytes = concat(ascii('<?xml version="1.0" encoding="windows-1252"?>'), cp949(korean));
    expect(decodeDocument(bytes, { contentType: 'application/xml; charset=EUC-KR' }).charset).toBe('cp949');
  });

  it('sniffs when there is no label or the label is unknown', () => {
    expect(decodeDocument(cp949(korean))).toEqual({ text: korean, charset: 'cp949' });
    expect(decodeDocument(cp949(korean), { contentType: 'text/html; charset=x-bogus' }).charset).toBe('cp949');
    expect(decodeDocument(Buffer.from('caf\u00e9 \u201cquoted\u201d'), {})).toEqual({
      text: 'café “quoted”',
      charset: 'utf-8',
    });
    expect(decodeDocument(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x71, 0x94]))).toEqual({
      text: 'café “q”',
      charset: 'windows-1252',
    });
  });

  it('does not trust a label the bytes contradict', () => {
    // EUC-KR bytes served as UTF-8, and UTF-8 bytes still labelled EUC-KR after a CMS migration.
    expect(decodeDocument(cp949(korean), { contentType: 'text/xml; charset=utf-8' })).toEqual({
      text: korean,
      charset: 'cp949',
    });
    const utf8 = concat(ascii('<?xml version="1.0" encoding="euc-kr"?>'), Buffer.from(korean));
    expect(decodeDocument(utf8)).toEqual({
      text: `<?xml version="1.0" encoding="euc-kr"?>${korean}`,
      charset: 'utf-8',
    });
  });

  it('maps ISO-8859-1 to windows-1252 as browsers do', () => {
    expect(
      decodeDocument(new Uint8Array([0x93, 0x41, 0x94]), { contentType: 'text/plain; charset=ISO-8859-1' }),
    ).toEqual({ text: '“A”', charset: 'windows-1252' });
  });

  it('never throws', () => {
    expect(decodeDocument(new Uint8Array())).toEqual({ text: '', charset: 'utf-8' });
    const noise = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    expect(() => decodeDocument(noise, { contentType: 'charset=' })).not.toThrow();
  });
});

describe('normalizeCharset', () => {
  it('maps labels to codec names and unknown ones to null', () => {
    expect(normalizeCharset(' UTF8 ')).toBe('utf-8');
    expect(normalizeCharset('KS_C_5601-1987')).toBe('cp949');
    expect(normalizeCharset('latin1')).toBe('windows-1252');
    expect(normalizeCharset('Shift_JIS')).toBe('shift_jis');
    expect(normalizeCharset('x-bogus')).toBeNull();
    expect(normalizeCharset('')).toBeNull();
  });
});
