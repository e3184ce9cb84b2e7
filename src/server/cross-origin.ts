import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** A header no HTML form can set: a POST that carries it was preflighted, whatever its content type. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** What any page may send: enough to read (and to POST JSON), nothing that carries credentials. */
const PUBLIC_REQUEST_HEADERS = ['content-type', 'accept', CSRF_HEADER];
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS headers for a request from `origin`. Any site may read, as the data is public:
 * `Access-Control-Allow-Origin: *`, without credentials, and without the Authorization header.
 * Only origins listed in CORS_ORIGINS get their own origin back, credentials and Authorization.
 */
function corsHeaders(origin: string, listed: boolean, preflight: boolean): Record<string, string> {
  const headers: Record<string, string> = listed
    ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' }
    : { 'access-control-allow-origin': '*' };
  if (preflight) {
    headers['access-control-allow-methods'] = ALLOWED_METHODS;
    headers['access-control-allow-headers'] = [...PUBLIC_REQUEST_HEADERS, ...(listed ? ['authorization'] : [])].join(', ');
    headers['access-control-max-age'] = String(PREFLIGHT_MAX_AGE_SECONDS);
  } else {
    headers['access-control-expose-headers'] = 'retry-after, x-cache';
  }
  return headers;
}

/** Answers preflights and labels every response; in place of Yoga's CORS, which reflects any origin with credentials. */
function useCors(allowedOrigins: ReadonlySet<string>): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method === 'OPTIONS') endResponse(new fetchAPI.Response(null, { status: 204, headers: { 'content-length': '0' } }));
    },
    onResponse({ request, response }) {
      // With a list, the answer depends on the Origin: caches must keep one per origin.
      if (allowedOrigins.size > 0) response.headers.append('vary', 'Origin');
      const origin = request.headers.get('origin');
      if (origin === null) return;
      const headers = corsHeaders(origin, allowedOrigins.has(origin), request.method === 'OPTIONS');
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    },
  };
}

/**
 * Runs operations only from requests a browser preflights. Yoga's CSRF prevention plugin decides:
 * a POST whose content type a form can send (form-encoded, multipart, text/plain, or none) is
 * refused unless it carries CSRF_HEADER. GET is left alone: Yoga runs no mutation over GET, and
 * the reads it serves are public.
 */
function useSimpleRequestRefusal(): Plugin {
  const csrfPrevention = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      if (payload.request.method === 'GET') return;
      try {
        csrfPrevention.onRequestParse?.(payload);
      } catch {
        throw new GraphQLError(
          `Send a POST as application/json (or with an ${CSRF_HEADER} header): browsers send forms and text/plain from any site without asking, so those do not run.`,
          { extensions: { code: 'CSRF_PREVENTED', http: { status: 403 } } },
        );
      }
    },
  };
}

/** CORS and CSRF together; `allowedOrigins` comes from the CORS_ORIGINS setting. */
export function useCrossOriginPolicy(allowedOrigins: readonly string[]): Plugin[] {
  return [useCors(new Set(allowedOrigins)), useSimpleRequestRefusal()];
}
