// Which audit entries a reader asked for. Pure (no Node, no zod): the dashboard imports the
// action groups from here.
import { foldText } from '../../playlists/text.js';
import type { AuditEntry } from './entry.js';

/**
 * The groups of audit actions (the part before the dot), for choosing one. Every action the
 * controller writes belongs to one of them (the audit tests check the API's and the system's).
 */
export const AUDIT_GROUPS = [
  'alert',
  'announcement',
  'approval',
  'asset',
  'audit',
  'auth',
  'board',
  'command',
  'content',
  'device',
  'monitor',
  'pairing',
  'phase',
  'plan',
  'playlist',
  'release',
  'schedule',
  'screenshot',
  'settings',
  'token',
  'user',
] as const;
export type AuditGroup = (typeof AUDIT_GROUPS)[number];

/** The parts of an entry a filter looks at. */
export type FilterableEntry = Pick<
  AuditEntry,
  'actor' | 'action' | 'target' | 'outcome' | 'details' | 'from'
>;

export interface AuditFilter {
  outcome?: 'ok' | 'refused' | undefined;
  /** An action (`auth.login`) or its group (`auth`, every `auth.*`). */
  action?: string | undefined;
  /** Words that must all appear in who, what, on what, the details or the address. */
  text?: string | undefined;
}

function actorWords(actor: FilterableEntry['actor']): string {
  switch (actor.kind) {
    case 'user':
      return `${actor.username} ${actor.role}`;
    case 'device':
      return `${actor.boardId} ${actor.deviceId} device`;
    case 'anonymous':
      return `${actor.username ?? ''} anonymous`;
    case 'system':
      return 'system';
  }
}

/** The test for entries matching `filter`, or undefined when it lets every entry through. */
export function auditMatcher(
  filter: AuditFilter,
): ((entry: FilterableEntry) => boolean) | undefined {
  const { outcome, action } = filter;
  const words = foldText(filter.text ?? '')
    .split(/\s+/)
    .filter((w) => w !== '');
  if (outcome === undefined && action === undefined && words.length === 0) return undefined;
  const group = action !== undefined && !action.includes('.') ? `${action}.` : undefined;
  return (entry) => {
    if (outcome !== undefined && entry.outcome !== outcome) return false;
    if (action !== undefined && entry.action !== action) {
      if (group === undefined || !entry.action.startsWith(group)) return false;
    }
    if (words.length === 0) return true;
    const haystack = foldText(
      [
        actorWords(entry.actor),
        entry.action,
        entry.target ?? '',
        entry.details === undefined ? '' : JSON.stringify(entry.details),
        entry.from.ip,
      ].join(' '),
    );
    return words.every((w) => haystack.includes(w));
  };
}
