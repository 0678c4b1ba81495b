/** The pure parts of the write path: job failure and delete conflict classification, the job error, deadline polling. */
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/errors.js';
import {
  classifyDeleteConflict,
  classifyJobFailure,
  DEFAULT_PUBLISH_POLL,
  FlowJobError,
  GenesysApiError,
  type JobStateLike,
  lockHolder,
  toRemoteError,
} from '../../src/genesys/index.js';
import { type PollClock, pollDelays, pollUntilDeadline } from '../../src/genesys/poll.js';

const failure = (...texts: string[]): JobStateLike => ({
  status: 'Failure',
  messages: texts.map((text) => ({ type: 'Error', text })),
});

const ARCHY_LOCKED =
  'The flow "Main Line" (inboundcall) is locked by another entity: client "second-client". You can use the --forceUnlock command line parameter if you wish to publish flows locked by another entity.';

describe('classifyJobFailure: structured fields first', () => {
  it('an inner 429 in details is transient, whatever the text says', () => {
    const state: JobStateLike = {
      status: 'Failure',
      messages: [
        {
          type: 'Error',
          text: 'Transient failure: could not find the flow while publishing. Retry the job.',
          details: [{ type: 'Http', statusCode: 429 }],
        },
      ],
    };
    expect(classifyJobFailure(state)).toEqual({
      reason: 'transient',
      evidence: 'Transient failure: could not find the flow while publishing. Retry the job.',
    });
    const odd: JobStateLike = {
      messages: [{ type: 'Error', text: 'The flow has 3:4: odd things', details: [{ statusCode: 503 }] }],
    };
    expect(classifyJobFailure(odd).reason).toBe('transient');
  });

  it('an inner status that will not change on retry (400, 404) decides nothing by itself', () => {
    expect(
      classifyJobFailure({
        messages: [{ type: 'Error', text: 'Something went wrong', details: [{ statusCode: 400 }] }],
      }),
    ).toEqual({
      reason: 'unknown',
      evidence: 'Something went wrong',
    });
  });
});

describe('classifyJobFailure: the texts Archy and Architect use', () => {
  it('locked: Archy\'s "locked by another entity", with the holder when the text names one', () => {
    expect(classifyJobFailure(failure(ARCHY_LOCKED))).toEqual({
      reason: 'locked',
      holder: 'second-client',
      evidence: ARCHY_LOCKED,
    });
    const anonymous =
      'Flow "Main Line" is locked by another entity. You can use the --forceUnlock command line parameter if you wish to publish flows locked by another entity.';
    expect(classifyJobFailure(failure(anonymous))).toEqual({ reason: 'locked', evidence: anonymous });
  });

  it('a lock outranks the other problems of the same job', () => {
    expect(classifyJobFailure(failure('3:5: bad value', ARCHY_LOCKED)).reason).toBe('locked');
  });

  it('transient: Genesys reports some throttled jobs as "could not find the flow"', () => {
    expect(classifyJobFailure(failure('Could not find the flow with id 0f3a.')).reason).toBe('transient');
    expect(
      classifyJobFailure(failure('Rate limit exceeded the maximum. Retry the request in [3] seconds')).reason,
    ).toBe('transient');
  });

  it('missing-dependency outranks the line errors that report the same call', () => {
    const found = classifyJobFailure(
      failure(
        'The flow cannot be published due to missing dependencies: it calls common modules that are not published in this org.',
        '14:11: action "Shared step" calls unknown common module "Nope"',
      ),
    );
    expect(found.reason).toBe('missing-dependency');
    expect(found.evidence).toMatch(/^The flow cannot be published due to missing dependencies/);
  });

  it('conflict: names taken, versions moved, a lock that is no longer ours, a draft not checked in', () => {
    for (const text of [
      'A flow of type inboundcall named Main Line already exists.',
      'The version 3.0 does not match the current version 4.0.',
      'The flow Main Line is not locked by the requesting user.',
      'The flow Main Line cannot be published: it must be checked in first.',
    ]) {
      expect(classifyJobFailure(failure(text)), text).toEqual({ reason: 'conflict', evidence: text });
    }
  });

  it('invalid: line:col validation messages, the first of them as evidence', () => {
    expect(
      classifyJobFailure(failure('3:5: inboundCall.startUpRef is required', '9:7: unknown action "playAudo"')),
    ).toEqual({
      reason: 'invalid',
      evidence: '3:5: inboundCall.startUpRef is required',
    });
    expect(classifyJobFailure(failure('Flow validation failed with 2 errors')).reason).toBe('invalid');
    expect(classifyJobFailure(failure('Could not parse the flow file')).reason).toBe('invalid');
    expect(
      classifyJobFailure(
        failure('Common module "Tag" does not allow inboundemail flows to call it (compatibleFlowTypes: inboundcall).'),
      ).reason,
    ).toBe('invalid');
  });

  it('only Error messages decide when there are any; otherwise every message counts', () => {
    const mixed: JobStateLike = {
      messages: [
        { type: 'Info', text: 'Validating 12:3: warnings only' },
        { type: 'Error', text: 'Could not find the flow' },
      ],
    };
    expect(classifyJobFailure(mixed).reason).toBe('transient');
    expect(
      classifyJobFailure({ messages: [{ text: 'A flow of type inboundcall named X already exists.' }] }).reason,
    ).toBe('conflict');
  });

  it('unknown: anything else, or nothing said', () => {
    expect(classifyJobFailure(failure('The moon is in the wrong phase'))).toEqual({
      reason: 'unknown',
      evidence: 'The moon is in the wrong phase',
    });
    expect(classifyJobFailure({ status: 'Failure' })).toEqual({ reason: 'unknown' });
    expect(classifyJobFailure({ status: 'Failure', messages: [] })).toEqual({ reason: 'unknown' });
  });
});

describe('lockHolder', () => {
  it('takes quoted names, or one word after user/client, and guesses nothing else', () => {
    expect(lockHolder(ARCHY_LOCKED)).toBe('second-client');
    expect(lockHolder("Flow X is locked by user 'Jane Doe'.")).toBe('Jane Doe');
    expect(lockHolder('Flow X is locked by \u201cJane Doe\u201d')).toBe('Jane Doe');
    expect(lockHolder('The flow X is locked by another entity: client second-client.')).toBe('second-client');
    expect(lockHolder('Flow X is locked by user jdoe@example.com')).toBe('jdoe@example.com');
    expect(lockHolder('Flow X is locked by another entity. You can use the --forceUnlock parameter')).toBeUndefined();
    expect(lockHolder('nothing about locks')).toBeUndefined();
  });
});

describe('classifyDeleteConflict', () => {
  it('wire codes first, then the texts', () => {
    expect(classifyDeleteConflict('architect.flow.in.use', 'whatever')).toBe('in-use');
    expect(classifyDeleteConflict('architect.flow.locked.by.user', 'whatever')).toBe('locked');
    expect(
      classifyDeleteConflict(undefined, 'The flow Tag cannot be deleted: it is used by one or more flows (Main Line).'),
    ).toBe('in-use');
    expect(classifyDeleteConflict(undefined, 'The flow Tag is locked by another entity: client c2.')).toBe('locked');
    expect(classifyDeleteConflict(undefined, 'The flow Tag is not locked by the requesting user.')).toBe('conflict');
    expect(classifyDeleteConflict('conflict', 'Conflict')).toBe('conflict');
  });
});

describe('FlowJobError', () => {
  it('is a RemoteError with one line: the reason, the decisive text, how many more', () => {
    const error = new FlowJobError({
      jobId: 'j1',
      reason: 'invalid',
      messages: ['Info: validating', '3:5: startUpRef is required', '9:7: unknown action'],
      evidence: '3:5: startUpRef is required',
    });
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.kind).toBe('remote');
    expect(error.message).toBe('Architect job j1 invalid flow: 3:5: startUpRef is required (and 2 more messages)');
    expect(error.detail).toBe('Info: validating | 3:5: startUpRef is required | 9:7: unknown action');
    expect(error).toMatchObject({ jobId: 'j1', reason: 'invalid', name: 'FlowJobError' });
    expect(error.holder).toBeUndefined();
  });

  it('names the holder of a lock, and says when the job said nothing', () => {
    const locked = new FlowJobError({
      jobId: 'j2',
      reason: 'locked',
      holder: 'Jane',
      messages: ['Flow "A" is\nlocked by "Jane"'],
    });
    expect(locked.message).toBe('Architect job j2 locked by Jane: Flow "A" is locked by "Jane"');
    expect(new FlowJobError({ jobId: 'j3', reason: 'unknown', messages: [] }).message).toBe(
      'Architect job j3 failed: the job gave no message',
    );
  });
});

/** A fake clock: sleeping and checking move time forward, nothing waits. */
function fakeClock(): PollClock & { advance(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('pollUntilDeadline with the publish defaults', () => {
  it('polls at about 0.1, 0.25, 0.48, 0.82 s, then at most every 2 s', () => {
    const delays = [...pollDelays({ ...DEFAULT_PUBLISH_POLL, timeoutMs: 20_000 })];
    expect(delays.slice(0, 4)).toEqual([100, 150, 225, 337.5]);
    expect(Math.max(...delays)).toBe(2_000);
  });

  it('sees a job of up to 200 ms finished within 0.5 s, in at most 3 checks, even with slow checks', async () => {
    for (const checkMs of [0, 20, 50]) {
      for (const jobMs of [0, 50, 100, 150, 200]) {
        const clock = fakeClock();
        let checks = 0;
        const seenAt = await pollUntilDeadline(
          async () => {
            checks += 1;
            clock.advance(checkMs);
            return clock.now() >= jobMs + checkMs ? clock.now() : undefined;
          },
          DEFAULT_PUBLISH_POLL,
          clock,
        );
        expect(seenAt, `job ${jobMs} ms, check ${checkMs} ms`).toBeLessThanOrEqual(500);
        expect(checks).toBeLessThanOrEqual(3);
      }
    }
  });

  it('bounds the total on the clock, checks included, and checks one last time at the deadline', async () => {
    const clock = fakeClock();
    const times: number[] = [];
    const result = await pollUntilDeadline(
      async () => {
        times.push(clock.now());
        clock.advance(700); // each check is slow
        return undefined;
      },
      { ...DEFAULT_PUBLISH_POLL, timeoutMs: 5_000 },
      clock,
    );
    expect(result).toBeUndefined();
    expect(times[times.length - 1]).toBeLessThanOrEqual(5_000);
    expect(clock.now()).toBeGreaterThanOrEqual(5_000);
    expect(clock.now()).toBeLessThan(5_000 + 700 + 1);
  });

  it('ten minutes of a job that never ends cost a bounded number of checks (one every 2 s at most)', async () => {
    const clock = fakeClock();
    let checks = 0;
    await pollUntilDeadline(async () => void (checks += 1), DEFAULT_PUBLISH_POLL, clock);
    expect(clock.now()).toBe(600_000);
    expect(checks).toBeGreaterThan(290);
    expect(checks).toBeLessThanOrEqual(310);
  });

  it('checks once even with no time at all', async () => {
    const clock = fakeClock();
    let checks = 0;
    expect(
      await pollUntilDeadline(async () => void (checks += 1), { ...DEFAULT_PUBLISH_POLL, timeoutMs: 0 }, clock),
    ).toBeUndefined();
    expect(checks).toBe(1);
  });
});

describe('GenesysApiError', () => {
  it("keeps the ErrorBody's code, params and message, redacted, for callers that branch on them", () => {
    const error = toRemoteError(
      {
        status: 409,
        headers: {},
        body: {
          code: 'architect.flow.in.use',
          message: 'Flow Tag is used (tok3n-value)',
          messageParams: { flowName: 'Tag', odd: 'tok3n-value', n: 3 },
        },
      },
      { operation: 'delete flow f1', host: 'api.example.com', clientId: 'ci', secrets: ['tok3n-value'] },
    );
    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.code).toBe('architect.flow.in.use');
    expect(error.params).toEqual({ flowName: 'Tag', odd: '***' });
    expect(error.serverMessage).toBe('Flow Tag is used (***)');
    expect(error.message).toBe('delete flow f1 failed: api.example.com answered 409: Flow Tag is used (***)');
  });
});
