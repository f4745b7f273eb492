/**
 * The embed loader: `<script src="https://HOST/widget.js" data-survey="after-visit" async></script>`.
 * Reads its settings from its own tag and Heard's origin from its src; renders an inline card
 * (data-mode="inline") or a button opening a modal dialog (the default), each holding the survey
 * page in an iframe. data-mode="chat" shows the survey as a chat (/s/:id/chat) in the same
 * dialog, or in the inline card with data-inline. It never throws into the host page, sets no cookies and loads nothing until
 * the survey is shown.
 *
 * Optional: data-lang, data-age, data-link (a feedback link token), data-leave (for "Leave quickly":
 * a page on one of the survey's allowed origins, or a neutral site, which keeps only its home
 * page; the survey page checks it, so anything else falls back to the default), data-label (button text), data-target
 * (a CSS selector to render into instead of after the script tag).
 */
const warn = (...args: unknown[]) => console.warn('[heard]', ...args);
/**
 * The button's words. Welsh follows the page's register rule (src/domain/register.ts): *ti* for
 * an under-18 data-age, *chi* for "adult". Without data-age the loader can't know the survey's
 * default band without a request, so it says the verb-noun, which is right in both registers.
 */
const WORDS: Record<string, [string, string]> = {
  en: ['Tell us how it went', 'Close'],
  'cy-ti': ['Dwed wrthon ni sut aeth hi', 'Cau'],
  'cy-chi': ['Dywedwch wrthon ni sut aeth hi', 'Cau'],
  cy: ['Dweud wrthon ni sut aeth hi', 'Cau'],
};
const registerOf = (age: string | undefined) => (age === 'adult' ? '-chi' : age ? '-ti' : '');

function embed(script: HTMLScriptElement) {
  const origin = new URL(script.src).origin;
  const d = script.dataset;
  const survey = d.survey ?? '';
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(survey)) return warn('data-survey must be a survey id such as "after-visit".');
  const query = new URLSearchParams({ embed: '1' });
  for (const key of ['lang', 'age', 'link', 'leave']) if (d[key]) query.set(key, d[key]!);
  const lang = d.lang ?? 'en';
  const [openLabel, closeLabel] = WORDS[lang + registerOf(d.age)] ?? WORDS[lang] ?? WORDS.en!;
  const label = d.label || openLabel;

  const frame = document.createElement('iframe');
  frame.title = label;
  frame.referrerPolicy = 'no-referrer';
  // Same-origin inside the sandbox keeps sessionStorage (answers pending on a bad connection);
  // top navigation on a click lets "Leave quickly" replace the whole page.
  frame.setAttribute('sandbox', 'allow-scripts allow-forms allow-same-origin allow-top-navigation-by-user-activation');
  Object.assign(frame.style, { border: '0', width: '100%', height: '100%', minHeight: '420px', display: 'block' });
  const chat = d.mode === 'chat';
  const load = () => frame.src || (frame.src = `${origin}/s/${survey}${chat ? '/chat' : ''}?${query}`);

  const target = (d.target && document.querySelector(d.target)) || null;
  const place = (el: HTMLElement) =>
    target ? target.appendChild(el) : script.parentElement === document.head ? document.body.appendChild(el) : script.after(el);

  if (d.mode === 'inline' || (chat && d.inline !== undefined)) {
    const card = document.createElement('div');
    Object.assign(card.style, { maxWidth: '40rem', borderRadius: '8px', overflow: 'hidden' });
    card.appendChild(frame);
    place(card);
    load();
    listen(origin, frame, (msg) => {
      if (msg.heard === 'height' && typeof msg.height === 'number') frame.style.height = `${Math.min(Math.max(msg.height, 200), 4000)}px`;
    });
    return;
  }

  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-haspopup', 'dialog');
  Object.assign(button.style, { minHeight: '44px', minWidth: '44px', padding: '8px 16px', font: 'inherit', cursor: 'pointer' });

  const dialog = document.createElement('dialog');
  dialog.setAttribute('aria-label', label);
  Object.assign(dialog.style, {
    width: 'min(40rem, 100vw - 16px)',
    height: 'min(48rem, 100vh - 16px)',
    maxWidth: '100vw',
    maxHeight: '100vh',
    padding: '0',
    border: '0',
    borderRadius: '8px',
    overflow: 'hidden',
  });
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = closeLabel;
  Object.assign(close.style, { display: 'block', margin: '4px 4px 4px auto', minHeight: '44px', minWidth: '44px', font: 'inherit', cursor: 'pointer' });
  const body = document.createElement('div');
  Object.assign(body.style, { height: 'calc(100% - 52px)' });
  body.appendChild(frame);
  // A modal dialog makes the page behind it inert, but Tab can still leave for the browser's own
  // controls; these two edges send focus round to the other end instead.
  const edge = (to: () => void) => {
    const el = document.createElement('span');
    el.tabIndex = 0;
    el.addEventListener('focus', to);
    return el;
  };
  dialog.append(
    edge(() => frame.focus()),
    close,
    body,
    edge(() => close.focus()),
  );

  button.addEventListener('click', () => {
    load();
    dialog.showModal();
    frame.focus();
  });
  close.addEventListener('click', () => dialog.close());
  // Esc in the host page closes the dialog natively; Esc inside the survey arrives as a message.
  dialog.addEventListener('close', () => button.focus());
  listen(origin, frame, (msg) => {
    if (msg.heard === 'close' && dialog.open) dialog.close();
  });
  place(button);
  document.body.appendChild(dialog);
}

/** Messages only from our own frame and origin; anything else is ignored. */
function listen(origin: string, frame: HTMLIFrameElement, handle: (msg: { heard?: string; height?: unknown }) => void) {
  addEventListener('message', (e) => {
    try {
      if (e.origin === origin && e.source === frame.contentWindow && e.data && typeof e.data === 'object') handle(e.data);
    } catch (err) {
      warn(err);
    }
  });
}

try {
  const script = document.currentScript;
  if (script instanceof HTMLScriptElement && script.src) {
    const run = () => {
      try {
        embed(script);
      } catch (err) {
        warn('could not show the survey:', err);
      }
    };
    // An async script in <head> can run before <body> exists.
    if (document.body) run();
    else document.addEventListener('DOMContentLoaded', run);
  } else warn('load widget.js with <script src="…/widget.js" data-survey="…" async>.');
} catch (err) {
  warn('could not show the survey:', err);
}
