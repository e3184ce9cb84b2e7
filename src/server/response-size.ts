import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { limitError } from './limits.js';

// Characters that JSON.stringify writes as escapes: quotes, backslashes, control characters and
// lone surrogates. A string without any is its UTF-8 bytes plus two quotes.
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

function stringBytes(text: string): number {
  return NEEDS_ESCAPING.test(text) ? Buffer.byteLength(JSON.stringify(text)) : Buffer.byteLength(text) + 2;
}

/**
 * The UTF-8 length of `JSON.stringify(value)`, counted without writing it: an answer too large to
 * send is never serialised.
 */
export function serializedBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value);
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object':
      break;
    default:
      return 4; // what stands for undefined inside an array: null
  }
  if (value === null) return 4;
  if (Array.isArray(value)) {
    let bytes = 2 + Math.max(value.length - 1, 0);
    for (const item of value) bytes += serializedBytes(item);
    return bytes;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return Buffer.byteLength(JSON.stringify(value) ?? 'null');
  let bytes = 2;
  let members = 0;
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    bytes += stringBytes(key) + 1 + serializedBytes(member);
    members++;
  }
  return bytes + Math.max(members - 1, 0);
}

/**
 * Replaces an answer whose body would be over `maxBytes` with an error naming both sizes. What one
 * query may select is bounded already (page sizes, list bounds, complexity); this is the last word
 * on what leaves the server, whatever the rows hold.
 */
export function useResponseSizeLimit(maxBytes: number): Plugin {
  const bounded = ({ result, setResult }: { result: ExecutionResult; setResult(result: ExecutionResult): void }) => {
    const bytes = serializedBytes(result);
    if (bytes <= maxBytes) return;
    setResult({
      errors: [limitError(`The response would be ${bytes} bytes; the limit is ${maxBytes}. Ask for fewer fields or smaller pages.`)],
    });
  };
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!isAsyncIterable(result)) bounded({ result: result as ExecutionResult, setResult });
        },
      };
    },
    // Each change pushed to a subscriber is one answer, under the same cap.
    onSubscribe() {
      return {
        onSubscribeResult: () => ({ onNext: bounded }),
      };
    },
  };
}
