import { Hono } from 'hono';
import type { AppEnv } from '../env';

/** Pages a person sees. The survey page and widgets are built in views/ and widgets/. */
export const pages = new Hono<AppEnv>();

pages.get('/s/:id/thanks', (c) => {
  const cy = c.req.query('lang') === 'cy';
  return c.html(
    `<!doctype html><html lang="${cy ? 'cy' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Feedback</title></head>` +
      `<body><main><h1>${cy ? 'Diolch am ddweud wrthon ni.' : 'Thank you for telling us.'}</h1></main></body></html>`,
  );
});
