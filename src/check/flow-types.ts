/**
 * Archy's top-level keys and the API's flow types. They differ (`botFlow` is `bot`, `inqueueCall` is
 * `inqueuecall`); see shared/reference/archy-format.md. Keys marked UNVERIFIED in that reference
 * (secureCall, inqueueEmail, inqueueShortMessage, voicemail) follow the same camelCase rule.
 */
const KEY_TO_TYPE: Record<string, string> = {
  inboundCall: 'inboundcall',
  outboundCall: 'outboundcall',
  secureCall: 'securecall',
  inqueueCall: 'inqueuecall',
  inboundEmail: 'inboundemail',
  inboundShortMessage: 'inboundshortmessage',
  inboundChat: 'inboundchat',
  inqueueEmail: 'inqueueemail',
  inqueueShortMessage: 'inqueueshortmessage',
  workflow: 'workflow',
  workitem: 'workitem',
  surveyInvite: 'surveyinvite',
  botFlow: 'bot',
  digitalBot: 'digitalbot',
  voicemail: 'voicemail',
  commonModule: 'commonmodule',
};

export const FLOW_KEYS: readonly string[] = Object.keys(KEY_TO_TYPE);
export const COMMON_MODULE_TYPE = 'commonmodule';

export function apiTypeForKey(key: string): string | undefined {
  return Object.hasOwn(KEY_TO_TYPE, key) ? KEY_TO_TYPE[key] : undefined;
}

export function keyForApiType(type: string): string | undefined {
  const lower = type.toLowerCase();
  return Object.keys(KEY_TO_TYPE).find((k) => KEY_TO_TYPE[k] === lower);
}
