/**
 * The survey editor's live preview (src/views/workspace/surveys.tsx): as the admin types, the
 * form as it stands is posted to /dashboard/surveys/:id/preview, which renders it with the public
 * page's own view without saving anything, and the answer is shown in a phone-width frame.
 * The frame is sandboxed without scripts or forms, so the survey in it can't send an answer.
 * Without JavaScript the panel stays hidden and the editor's preview links do the job.
 */

const DEBOUNCE_MS = 300;
const TIMEOUT_MS = 10_000;

const panel = document.querySelector<HTMLElement>('[data-live-preview]');
if (panel) {
  try {
    setUp(panel);
  } catch (err) {
    console.error('[heard] live preview', err);
  }
}

function setUp(panel: HTMLElement) {
  const form = document.getElementById(panel.dataset.form ?? '') as HTMLFormElement | null;
  const frame = panel.querySelector<HTMLIFrameElement>('[data-preview-frame]');
  const language = panel.querySelector<HTMLSelectElement>('select[name=lang]');
  const age = panel.querySelector<HTMLSelectElement>('select[name=age]');
  const status = panel.querySelector<HTMLElement>('[data-preview-status]');
  const url = panel.dataset.livePreview;
  if (!form || !frame || !language || !status || !url) return;
  const baseTitle = frame.title;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  let shown = false;
  /** The question the admin is editing, to keep in view in the preview. */
  let editing: string | null = null;

  const refresh = async () => {
    const mine = ++latest;
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string') body.append(name, value);
    let res: Response;
    try {
      const query = new URLSearchParams({ lang: language.value, ...(age ? { age: age.value } : {}) });
      res = await fetch(`${url}?${query}`, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        signal: AbortSignal.timeout?.(TIMEOUT_MS),
      });
    } catch {
      if (mine === latest) status.textContent = 'The preview could not be updated: check your connection.';
      return;
    }
    const text = await res.text();
    if (mine !== latest) return; // a newer keystroke's preview is on its way
    if (!res.ok) {
      status.textContent =
        res.status === 400 ? `The preview shows the last complete wording. ${text}` : 'The preview could not be updated. Saving still works.';
      return;
    }
    status.textContent = '';
    show(text);
  };

  /** Puts the page in the frame; after the first time, swaps the body so the frame keeps its scroll and history. */
  const show = (html: string) => {
    const doc = frame.contentDocument;
    if (!shown || !doc?.body) {
      shown = true;
      frame.addEventListener('load', keepInView, { once: true });
      frame.srcdoc = html;
      return;
    }
    const next = new DOMParser().parseFromString(html, 'text/html');
    doc.documentElement.lang = next.documentElement.lang;
    doc.documentElement.dir = next.documentElement.dir;
    doc.title = next.title;
    doc.body.replaceWith(doc.importNode(next.body, true));
    keepInView();
  };

  const keepInView = () => {
    // The frame's own scroll only (scrollIntoView would scroll the editor's page too), leaving
    // room above for the page's sticky "Leave quickly" bar.
    const question = editing ? frame.contentDocument?.getElementById(`q-${editing}`) : null;
    const view = frame.contentWindow;
    if (question && view) view.scrollTo({ top: question.getBoundingClientRect().top + view.scrollY - 96 });
  };

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  };

  const retitle = () => {
    frame.title = `${baseTitle}, in ${language.selectedOptions[0]?.textContent ?? language.value}${age ? `, for ages ${age.value}` : ''}`;
  };
  /** Sets a select to `value` if it offers it; whether it changed. */
  const choose = (select: HTMLSelectElement | null, value: string | null | undefined) => {
    if (!select || !value || select.value === value || !Array.from(select.options).some((o) => o.value === value)) return false;
    select.value = value;
    return true;
  };

  form.addEventListener('input', later);
  form.addEventListener('change', later);
  // Typing Welsh shows the Welsh page; typing into a question brings it into view.
  form.addEventListener('focusin', (e) => {
    const field = e.target as HTMLElement;
    editing = field.closest<HTMLElement>('[data-question]')?.dataset.question ?? null;
    // Wording for an age band (`questions.0.textByAge.8-12.en`) shows that band's page.
    const band = /\.textByAge\.([^.]+)\./.exec(field.getAttribute('name') ?? '')?.[1];
    const changed = choose(language, field.getAttribute('lang'));
    if (choose(age, band) || changed) {
      retitle();
      later();
    } else keepInView();
  });
  for (const select of [language, age])
    select?.addEventListener('change', () => {
      retitle();
      refresh();
    });

  retitle();
  panel.hidden = false;
  refresh();
}
