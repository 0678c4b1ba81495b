import { describe, expect, it } from 'vitest';
import { errorHandling } from '../../../src/rules/builtin/error-handling.js';
import { indent, runRule } from './harness.js';

const flow = (key: string, settings: string) => `${key}:
  name: Test
  startUpRef: "/${key}/tasks/task[start]"
${indent(settings, 2)}
  tasks:
    - task:
        name: Start
        refId: start
        actions:
          - disconnect:
              name: Bye`;
const disconnect = (audio: string) => `
settingsErrorHandling:
  errorHandling:
    disconnect:
      none: true
${audio}`;

describe('error-handling', () => {
  it('reports a call flow whose error handling disconnects with no pre-handling audio, at the disconnect', () => {
    expect(runRule(errorHandling, flow('inboundCall', disconnect('')))).toEqual([
      {
        path: ['inboundCall', 'settingsErrorHandling', 'errorHandling'],
        message:
          'error handling disconnects without playing anything first: set preHandlingAudio so the caller hears why',
      },
    ]);
  });

  it('counts silent audio (noValue, an empty tts) as none', () => {
    expect(
      runRule(errorHandling, flow('inboundCall', disconnect('  preHandlingAudio:\n    noValue: true'))),
    ).toHaveLength(1);
    expect(runRule(errorHandling, flow('outboundCall', disconnect('  preHandlingAudio:\n    tts: ""')))).toHaveLength(
      1,
    );
  });

  it('passes audio before the disconnect, another handling, no block (Architect speaks first by default), and other flow types', () => {
    expect(runRule(errorHandling, flow('inboundCall', disconnect('  preHandlingAudio:\n    tts: Sorry.')))).toEqual([]);
    expect(
      runRule(errorHandling, flow('inboundCall', disconnect('  preHandlingAudio:\n    prompt: PromptSystem.error'))),
    ).toEqual([]);
    const jump =
      'settingsErrorHandling:\n  errorHandling:\n    jumpToTask:\n      targetTaskRef: "/inboundCall/tasks/task[start]"';
    expect(runRule(errorHandling, flow('inboundCall', jump))).toEqual([]);
    expect(runRule(errorHandling, flow('inboundCall', 'description: no settings'))).toEqual([]);
    expect(runRule(errorHandling, flow('workflow', disconnect('')))).toEqual([]);
  });

  it('option flowTypes chooses the flow types', () => {
    expect(runRule(errorHandling, flow('inboundCall', disconnect('')), { flowTypes: ['workflow'] })).toEqual([]);
    expect(runRule(errorHandling, flow('workflow', disconnect('')), { flowTypes: ['workflow'] })).toHaveLength(1);
    expect(errorHandling.validateOptions!({ flowType: 'x' } as never)).toMatch(/^unknown option 'flowType'/);
  });
});
