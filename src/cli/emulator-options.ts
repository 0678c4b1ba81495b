/** `flowops emulator`'s option values: parsed and checked as commander reads them, each refusal one line. */
import { InvalidArgumentError } from 'commander';
// From the emulator's own modules, not its index: parsing options does not load the server.
import { type ClientConfig, ClientSpecError, parseClientSpec } from '../emulator/auth.js';
import { EXPORT_REVISIONS, type ExportRevision } from '../emulator/export-defaults.js';
import { FaultSpecError, parseFaultSpec } from '../emulator/faults.js';

export interface EmulatorArgs {
  port: number;
  host: string;
  state?: string;
  seed?: string;
  objects?: string;
  client: ClientConfig[];
  rateLimit: number;
  faults?: string;
  seedRandom?: number;
  exportRevision: ExportRevision;
}

export function wholeNumber(max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) > max)
      throw new InvalidArgumentError(`expected a whole number from 0 to ${max}`);
    return Number(value);
  };
}

export function exportRevision(value: string): ExportRevision {
  const revision = EXPORT_REVISIONS.find((r) => String(r) === value);
  if (revision === undefined) throw new InvalidArgumentError(`expected ${EXPORT_REVISIONS.join(' or ')}`);
  return revision;
}

export function collectClient(value: string, previous: ClientConfig[]): ClientConfig[] {
  try {
    return [...previous, parseClientSpec(value)];
  } catch (error) {
    if (error instanceof ClientSpecError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

export function faultSpec(value: string): string {
  try {
    parseFaultSpec(value);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new InvalidArgumentError(error.message);
    throw error;
  }
  return value;
}
