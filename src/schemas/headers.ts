/**
 * Header names the server and the browser code share. Kept apart from the valibot schemas so the
 * widgets can import them without pulling a schema into their bundle.
 */

/** Carries a chat's resume token on a GET (a reply carries it in its body). */
export const RESUME_HEADER = 'X-Resume-Token';
