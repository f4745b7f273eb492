/**
 * What every page a respondent sees does in the browser, shared by the form (survey.ts) and the
 * chat (chat.ts): Leave quickly (and Esc three times), closing the embed dialog with Esc, and
 * telling the host page our height when embedded.
 */

export const $$ = <E extends Element>(root: ParentNode, sel: string) => Array.from(root.querySelectorAll<E>(sel));
export const fill = (t: string, v: Record<string, string | number>) => t.replace(/\{(\w+)\}/g, (w, k: string) => (k in v ? String(v[k]) : w));

/** Replaces the page (the whole tab when embedded) with a neutral site, leaving nothing behind. */
export function leave(url: string) {
  try {
    sessionStorage.clear();
    speechSynthesis?.cancel();
  } catch {
    /* keep leaving */
  }
  if (window.top !== window) {
    try {
      window.top!.location.replace(url);
      return;
    } catch {
      /* the host refused top navigation: leave the frame at least */
    }
  }
  location.replace(url);
}

export function setUpPage() {
  const body = document.body;
  const embedded = body.dataset.embed === '1';
  const url = body.dataset.leave ?? 'https://www.google.com/';
  for (const a of $$<HTMLAnchorElement>(document, '[data-leave-link]')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      leave(url);
    });
  }
  for (const hint of $$<HTMLElement>(document, '.leave-hint')) hint.hidden = false;
  let presses: number[] = [];
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    // In a dialog Esc closes it (the loader listens); on the full page three presses leave.
    if (embedded) return parent.postMessage({ heard: 'close' }, '*');
    const now = Date.now();
    presses = [...presses.filter((t) => now - t < 2000), now];
    if (presses.length >= 3) leave(url);
  });
  if (embedded && 'ResizeObserver' in window) {
    // Only a height goes to the host page: nothing about the answers.
    new ResizeObserver(() => parent.postMessage({ heard: 'height', height: document.documentElement.scrollHeight }, '*')).observe(document.body);
  }
}

/** Whether "Read it to me" can work here; the buttons stay hidden where it cannot. */
export const canSpeak = () => 'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function';

/** Speaks `text`, or stops if already speaking; `label` shows "Stop reading" meanwhile. */
export function speak(text: string, lang: string, label: Element, words: { readToMe: string; stopReading: string }) {
  if (speechSynthesis.speaking) {
    speechSynthesis.cancel();
    return;
  }
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = lang;
  utterance.onend = utterance.onerror = () => (label.textContent = words.readToMe);
  label.textContent = words.stopReading;
  speechSynthesis.speak(utterance);
}
