import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface FieldProblem {
  path: string;
  message: string;
}

/** The one error shape every API response uses: `{ error: { code, message, fields? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldProblem[]; errorId?: string };
}

/**
 * Thrown anywhere in a request; `app.onError` turns it into the error body.
 * Messages are ours, never the client's input.
 */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly fields?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(status, { message });
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields?.length ? { fields: this.fields } : {}) } };
  }
}

export const invalid = (fields: FieldProblem[], message = 'Some fields are not valid.') => new ApiError(400, 'invalid_request', message, fields);
export const notFound = (what = 'resource') => new ApiError(404, 'not_found', `No such ${what}.`);
export const gone = (code: string, message: string) => new ApiError(410, code, message);
/** 410: the survey has closed (answers and chats are no longer taken). */
export const closedSurvey = () => gone('survey_closed', 'This survey has closed.');
/** 410: the feedback link has expired or its single use is spent. */
export const linkUnusable = () => gone('link_unusable', 'This feedback link has expired or has already been used.');
export const forbidden = (message = 'This key may not do that.') => new ApiError(403, 'forbidden', message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
export const unauthorised = () =>
  new ApiError(401, 'unauthorised', 'Send a valid API key as "Authorization: Bearer <key>".', undefined, {
    'WWW-Authenticate': 'Bearer realm="heard"',
  });
