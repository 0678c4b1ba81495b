import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withSecretPlaceholders } from '../../src/render/export-file.js';
import { substitute } from '../../src/check/substitute.js';

const exported = `inboundCall:
  name: Partner Line
  description: ""
  startUpTaskActions:
    - callData:
        name: Ask partner
        category:
          Partner:
            dataAction:
              Lookup:
                inputs:
                  clientId:
                    lit: partner-client
                  clientSecret:
                    lit: s3cr3t-prod
                  apiKey:
                    lit: "typed-in-the-ui: 42"
                  sessionToken:
                    exp: Flow.token
                  password:
                    noValue: true
    - playAudio:
        name: Key
        audio:
          tts: "Your key is old-value-1, friend."
`;

describe('an exported flow written as a file', () => {
  it('writes a known secret as its placeholder, and the file substitutes back to the export', () => {
    const known = [{ key: 'partner_secret', value: 's3cr3t-prod' }];
    const file = withSecretPlaceholders(exported, { known });
    expect(file.content).toContain('lit: {{partner_secret}}');
    expect(file.content).not.toContain('s3cr3t-prod');
    expect(substitute(file.content, { partner_secret: 's3cr3t-prod' }).text).toBe(exported);
  });

  it('writes a rotated secret (a place of the live document) as the placeholder; the whole value when more was edited', () => {
    const path = ['inboundCall', 'startUpTaskActions', 1, 'playAudio', 'audio', 'tts'];
    const cut = withSecretPlaceholders(exported, {
      known: [],
      places: [{ path, pieces: [{ value: 'old-value-1', text: '{{partner_secret}}' }] }],
    });
    expect(cut.content).toContain('tts: "Your key is {{partner_secret}}, friend."');
    const whole = withSecretPlaceholders(exported, {
      known: [],
      places: [{ path, pieces: [], whole: 'Your key: {{partner_secret}}' }],
    });
    expect(whole.content).toContain('tts: "Your key: {{partner_secret}}"');
    expect(whole.content).not.toContain('old-value-1');
    // Nothing else moved.
    expect(parse(cut.content.replace('{{partner_secret}}', 'old-value-1'))).toEqual(parse(exported));
  });

  it('finds values under keys named like a credential that are not known secrets, by line; not expressions, not noValue', () => {
    const file = withSecretPlaceholders(exported, { known: [{ key: 'partner_secret', value: 's3cr3t-prod' }] });
    expect(file.credentials).toEqual([{ line: 17, key: 'apiKey' }]);
    expect(file.content.split('\n')[16]).toBe('                    lit: "typed-in-the-ui: 42"');
    // Unknown, the client secret is found too (and written as it is).
    const unknown = withSecretPlaceholders(exported, { known: [] });
    expect(unknown.credentials).toEqual([
      { line: 15, key: 'clientSecret' },
      { line: 17, key: 'apiKey' },
    ]);
    expect(unknown.content).toBe(exported);
  });

  it('reports lines in the file as written, after a replacement of another length above', () => {
    const text = 'a:\n  b: "x\\nSECRETVALUE\\ny"\n  password: hunter2\n';
    const file = withSecretPlaceholders(text, { known: [{ key: 'k', value: 'SECRETVALUE' }] });
    expect(file.content).toBe('a:\n  b: "x\\n{{k}}\\ny"\n  password: hunter2\n');
    expect(file.credentials).toEqual([{ line: 3, key: 'password' }]);
  });
});
