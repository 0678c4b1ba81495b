import { describe, expect, it } from 'vitest';
import { CANONICAL_FORM_REVISION, CANONICAL_HASH, canonicalHash, desiredHashOf } from '../../src/identity/index.js';
import { checkFlowSources, desiredDocument } from '../../src/check/index.js';
import { blueprintsDir, blueprintSubstitutions, readSource } from '../helpers/fixtures.js';

describe('the canonical hash', () => {
  it('is pinned: a change to the canonical form must bump CANONICAL_FORM_REVISION (hashes are kept between runs)', () => {
    const document = {
      inboundCall: {
        name: 'Main',
        description: 'Routes calls [flowops abc1234]',
        tasks: [{ task: { refId: 'A', name: 'T', actions: [{ b: 2, a: 1 }] } }],
        division: 'Home',
      },
    };
    // sha256 of the compact JSON of {inboundCall: {description: 'Routes calls', division, name, tasks}}
    // with every object's keys sorted (worked out apart from this code). If this fails after a deliberate change of canonicalize or hashDocument: bump the revision
    // and write the new hash here, in the same change.
    expect({ revision: CANONICAL_FORM_REVISION, hash: canonicalHash(document) }).toEqual({
      revision: 1,
      hash: 'sha256:cc62cbe1d59a33082631fb5c7083c0878d220a7ebb83942bc379b9a2f6c998e5',
    });
    expect(CANONICAL_HASH.id).toBe(`canonical-${CANONICAL_FORM_REVISION}`);
  });

  it('a check given CANONICAL_HASH gives each flow the hash of its document', () => {
    const files = ['MergeExternalContactBot.yaml', 'MergeExternalContactMessageFlow.yaml', 'ResolveContact.yaml'].map(
      (f) => readSource(blueprintsDir, `merge-external-contact/${f}`),
    );
    const hashed = checkFlowSources(files, { substitutions: blueprintSubstitutions, documentHash: CANONICAL_HASH });
    const plain = checkFlowSources(files, { substitutions: blueprintSubstitutions });
    expect(hashed.flows.map((f) => f.hash)).toEqual(plain.flows.map((f) => canonicalHash(desiredDocument(f))));
    expect(plain.flows.every((f) => f.hash === undefined)).toBe(true);
    expect(hashed.flows.map(desiredHashOf)).toEqual(plain.flows.map(desiredHashOf));
  });
});
