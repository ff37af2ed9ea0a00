// Global ids: `<source>:<Type>:<remoteId>`, readable and stable. A bad id is the caller's error, never a crash.
import { GraphQLError } from 'graphql';

export const NODE_TYPES = ['Invoice', 'Payment', 'BatchPayment'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export interface GlobalId {
  source: string;
  type: NodeType;
  remoteId: string;
}

/** Source names: what may stand before the first colon of an id. */
export const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Formats a global id. */
export function toGlobalId(source: string, type: NodeType, remoteId: string): string {
  return `${source}:${type}:${remoteId}`;
}

function badId(message: string, id: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', id: id.slice(0, 200) } });
}

/**
 * Parses a global id; a malformed one, an unknown source or (with `expected`) another type is BAD_USER_INPUT.
 * The remote id is everything after the second colon, so it may itself contain colons.
 */
export function parseGlobalId(id: string, knownSources: ReadonlySet<string>, expected?: NodeType): GlobalId {
  const first = id.indexOf(':');
  const second = first < 0 ? -1 : id.indexOf(':', first + 1);
  if (first < 0 || second < 0) {
    throw badId(`"${id.slice(0, 100)}" is not a valid id: expected <source>:<Type>:<remoteId>`, id);
  }
  const source = id.slice(0, first);
  const type = id.slice(first + 1, second);
  const remoteId = id.slice(second + 1);
  if (!SOURCE_NAME.test(source) || remoteId.length === 0 || remoteId.length > 512 || /\s/.test(remoteId)) {
    throw badId(`"${id.slice(0, 100)}" is not a valid id: expected <source>:<Type>:<remoteId>`, id);
  }
  if (!(NODE_TYPES as readonly string[]).includes(type)) {
    throw badId(`"${id.slice(0, 100)}" names an unknown type "${type.slice(0, 40)}"`, id);
  }
  if (!knownSources.has(source)) {
    throw badId(`"${id.slice(0, 100)}" names an unknown source "${source}"`, id);
  }
  if (expected && type !== expected) {
    throw badId(`"${id.slice(0, 100)}" is a ${type} id, not a ${expected} id`, id);
  }
  return { source, type: type as NodeType, remoteId };
}
