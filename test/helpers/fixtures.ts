import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FlowSource } from '../../src/check/index.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const blueprintsDir = fileURLToPath(new URL('../../../shared/fixtures/archy-blueprints/', import.meta.url));
export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function readSource(dir: string, name: string): FlowSource {
  return { path: name, text: readFileSync(`${dir}${name}`, 'utf8') };
}

export function listYaml(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/** Substitutions the blueprint README gives for its files. */
export const blueprintSubstitutions: Record<string, string> = {
  ivr_initial_greeting: 'Thank you for calling.',
  ivr_failure: 'Sorry, we could not connect your call.',
  ivr_callback: 'We will call you back.',
  module_name: 'Resolve Contact',
  common_module_name: 'Resolve Contact',
  bot_name: 'Merge Contact Bot',
  bot_flow_name: 'Merge Contact Bot',
  flow_name: 'Merge External Contact Messaging',
  division: 'Home',
  default_language: 'en-us',
  queue_name: 'Support',
  data_action_category: 'Genesys Cloud Data Actions',
  fetch_external_contact_by_identifier_data_action: 'Fetch External Contact By Identifier',
  get_external_contact_id_for_customer_participant_data_action: 'Get External Contact Id For Customer Participant',
  merge_external_contacts_data_action: 'Merge External Contacts',
};
