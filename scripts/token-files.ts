import { tokenSettings } from '../src/config.js';

/** The token scripts edit the file; a server given TIMELINE_TOKENS never reads it. */
export function inlineTokensWarning(): void {
  if (tokenSettings(process.env).inline) console.error('Note: TIMELINE_TOKENS is set, and a server started with it reads its tokens from there, not from the file.');
}
