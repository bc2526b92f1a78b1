/** The form field that carries the CSRF token (the middleware reads it; views name it as `csrfParam`). */
export const CSRF_FIELD = '_csrf';
