import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';
import type { DatabaseHandle } from '../db/client.js';
import { timelineJsResponse } from './timelinejs.js';

/** The page's folder, found from this file so that the server works from any working directory. */
const WEB_FOLDER = new URL('../../web/', import.meta.url);

/** Where the page's own files are served: /web/timeline.js, /web/timeline.css. */
const WEB_ASSET_PREFIX = '/web/';

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

// A plain file name with a known extension: no slashes, no "..", so nothing outside web/ is reachable.
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.([a-z0-9]+)$/;

async function webFile(name: string, ResponseClass: typeof Response): Promise<Response | null> {
  const extension = ASSET_NAME.exec(name)?.[1];
  const contentType = extension ? CONTENT_TYPES[extension] : undefined;
  if (!contentType) return null;
  let body: Buffer;
  try {
    body = await readFile(fileURLToPath(new URL(name, WEB_FOLDER)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Read on every request and never cached, so an edited page shows on reload.
  return new ResponseClass(new Uint8Array(body), {
    status: 200,
    headers: { 'content-type': contentType, 'cache-control': 'no-cache' },
  });
}

/** Routes beside /graphql: the timeline page at / and the TimelineJS export. */
export function useTimelineRoutes({ database }: { database: DatabaseHandle }): Plugin {
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const notFound = () => new fetchAPI.Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
      if (url.pathname === '/') {
        endResponse((await webFile('index.html', fetchAPI.Response)) ?? notFound());
      } else if (url.pathname.startsWith(WEB_ASSET_PREFIX)) {
        endResponse((await webFile(url.pathname.slice(WEB_ASSET_PREFIX.length), fetchAPI.Response)) ?? notFound());
      } else if (url.pathname === '/timelinejs.json') {
        endResponse(await timelineJsResponse(url, database, fetchAPI.Response));
      }
    },
  };
}
