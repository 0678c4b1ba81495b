/**
 * The org's objects that flows name (shared/reference/org-references.md): prompts, system prompts,
 * integrations and their data actions, data tables, schedule groups, schedules, emergency groups,
 * language skills, skills, wrap-up codes and divisions, loaded from an objects file
 * (objects-file.ts). Kept in memory, not in the state file: the objects file is their source, read
 * at every start. Queues and IVR configurations live in the state instead (the API creates them
 * too, org-objects.ts); the file's ones are added there at start when the state lacks one of that
 * name. Ids are derived from kind and name, so they stay the same across restarts.
 *
 * Names are matched regardless of case, but otherwise exactly (spaces, quotes and unicode as
 * written): a choice (README.md), as the emulator matches flow names.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { ApiError } from './http.js';
import { divisionIdFor, findByTypeName, HOME_DIVISION } from './org.js';
import { createIvr, createQueue, IVR_FLOW_SLOTS, type IvrFlowSlot } from './org-objects.js';
import type { NamedKind, OrgObjectsSpec } from './objects-file.js';
import type { EmulatorState, StoredIvr } from './state-store.js';

/** Kinds of object a flow names, as the emulator's reader reports them (flow-references.ts). */
export type ObjectKind =
  | 'queue'
  | 'prompt'
  | 'systemPrompt'
  | 'dataAction'
  | 'dataTable'
  | 'scheduleGroup'
  | 'schedule'
  | 'emergencyGroup'
  | 'language'
  | 'skill'
  | 'wrapupCode'
  | 'division';

/** The catalog's kinds (queues are in the state), keyed by the objects file's key. */
const KIND_OF_KEY: Record<Exclude<NamedKind, 'queues'>, ObjectKind> = {
  prompts: 'prompt',
  systemPrompts: 'systemPrompt',
  dataTables: 'dataTable',
  scheduleGroups: 'scheduleGroup',
  schedules: 'schedule',
  emergencyGroups: 'emergencyGroup',
  languages: 'language',
  skills: 'skill',
  wrapupCodes: 'wrapupCode',
  divisions: 'division',
};

export interface CatalogObject {
  id: string;
  kind: ObjectKind | 'integration';
  name: string;
  description?: string;
  divisionName: string;
  /** Data actions: the integration they belong to (their `category`), by name and id. */
  integration?: string;
  integrationId?: string;
}

/** A stable UUID-shaped id for an object of a kind (name compared regardless of case). */
export function objectIdFor(kind: string, name: string): string {
  const hex = createHash('sha1').update(`${kind}:${name.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The IVR flow slots an objects file names by type and name, waiting for those flows to exist. */
type PendingIvr = { ivrId: string; slot: IvrFlowSlot; type: string; name: string };

export class OrgCatalog {
  private readonly byKind = new Map<CatalogObject['kind'], CatalogObject[]>();
  private readonly byId = new Map<string, CatalogObject>();
  private pending: PendingIvr[] = [];

  constructor(private readonly spec: OrgObjectsSpec) {
    this.add({ kind: 'division', name: HOME_DIVISION, description: 'The home division' });
    for (const [key, kind] of Object.entries(KIND_OF_KEY) as Array<[NamedKind, ObjectKind]>) {
      for (const item of spec[key] ?? []) {
        const named = typeof item === 'string' ? { name: item } : item;
        if (kind === 'division' && sameName(named.name, HOME_DIVISION)) continue;
        this.add({ kind, ...named });
      }
    }
    for (const action of spec.dataActions ?? []) {
      const integration =
        this.find('integration', action.integration) ?? this.add({ kind: 'integration', name: action.integration });
      const model: Omit<CatalogObject, 'id' | 'divisionName'> = {
        kind: 'dataAction',
        name: action.name,
        integration: integration.name,
        integrationId: integration.id,
      };
      if (action.description !== undefined) model.description = action.description;
      // An action's id is Genesys' shape for custom actions: `custom_-_<uuid>`.
      this.add(model, `custom_-_${objectIdFor(`dataAction:${integration.name.toLowerCase()}`, action.name)}`);
    }
  }

  private add(
    object: Omit<CatalogObject, 'id' | 'divisionName'> & { division?: string },
    id = objectIdFor(object.kind, object.name),
  ): CatalogObject {
    const { division, ...rest } = object;
    const stored: CatalogObject = {
      ...rest,
      id: object.kind === 'division' ? divisionIdFor(object.name) : id,
      divisionName: division ?? HOME_DIVISION,
    };
    const list = this.byKind.get(stored.kind) ?? [];
    list.push(stored);
    this.byKind.set(stored.kind, list);
    this.byId.set(stored.id, stored);
    return stored;
  }

  list(kind: CatalogObject['kind']): CatalogObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** The object of `kind` named `name` (a data action: within `integration`). */
  find(kind: CatalogObject['kind'], name: string, integration?: string): CatalogObject | undefined {
    return this.list(kind).find(
      (o) => sameName(o.name, name) && (integration === undefined || sameName(o.integration ?? '', integration)),
    );
  }

  get(id: string): CatalogObject | undefined {
    return this.byId.get(id);
  }

  /**
   * Adds the file's queues and IVR configurations to the state (those it lacks by name: a state file
   * keeps what the API changed since), then routes each new IVR to the flows it names that exist.
   */
  loadIntoState(state: EmulatorState, now: number, file: string): void {
    try {
      this.load(state, now);
    } catch (error) {
      // A queue or IVR the state's own contradict (a phone number another IVR has): the file's fault.
      if (error instanceof ApiError) throw ConfigError.at(file, error.message, 1, 1, 'objects');
      throw error;
    }
  }

  private load(state: EmulatorState, now: number): void {
    const CLIENT = 'emulator-objects';
    for (const item of this.spec.queues ?? []) {
      const named = typeof item === 'string' ? { name: item } : item;
      if (Object.values(state.queues).some((q) => sameName(q.name, named.name))) continue;
      const input = { name: named.name, flows: {}, divisionName: named.division ?? HOME_DIVISION };
      createQueue(state, named.description ? { ...input, description: named.description } : input, CLIENT, now);
    }
    for (const spec of this.spec.ivrs ?? []) {
      const dnis = spec.dnis === undefined ? [] : Array.isArray(spec.dnis) ? spec.dnis : [spec.dnis];
      const input = { name: spec.name, dnis, flows: {}, divisionName: HOME_DIVISION };
      const ivr =
        Object.values(state.ivrs).find((i) => sameName(i.name, spec.name)) ??
        createIvr(state, spec.description ? { ...input, description: spec.description } : input, CLIENT, now);
      for (const [slot, field] of Object.entries(IVR_FLOW_SLOTS) as Array<[IvrFlowSlot, keyof typeof spec]>) {
        const ref = spec[field] as { type?: string; name: string } | undefined;
        // A slot the state already fills (by an earlier start, or through the API) is kept.
        if (ref && ivr[slot] === undefined)
          this.pending.push({ ivrId: ivr.id, slot, type: (ref.type ?? 'inboundcall').toLowerCase(), name: ref.name });
      }
    }
    this.resolveIvrs(state);
  }

  /**
   * Points the file's IVRs at the flows they name once those exist (at start, after the seed, and
   * after every publish that creates a flow): an IVR routes to a flow by id, so it waits for one.
   */
  resolveIvrs(state: EmulatorState): void {
    this.pending = this.pending.filter((p) => {
      const ivr: StoredIvr | undefined = state.ivrs[p.ivrId];
      if (!ivr) return false;
      const flow = findByTypeName(state, p.type, p.name);
      if (!flow) return true;
      ivr[p.slot] = flow.id;
      return false;
    });
  }
}
