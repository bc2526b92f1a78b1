/** The stream routes (LiveController): a person's channel, and a project's with the person's. */
export const PERSON_STREAM_PATH = '/live';
export const PROJECT_STREAM_PATH = '/projects/:projectId/live';

/** Matches both, for the session middleware that must not extend a session for them (app.setup.ts). */
export const LIVE_STREAM_PATH = /^\/(live|projects\/[^/]+\/live)$/;
