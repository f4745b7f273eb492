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
  // "Esc 3 times" only where a keyboard is likely: phones and tablets have no Esc key.
  if (matchMedia('(pointer: fine)').matches) for (const hint of $$<HTMLElement>(document, '.leave-hint')) hint.hidden = false;
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

export { limitWords } from '../src/domain/text-limit';

/** The rating face the page draws (src/views/survey.tsx Face), as markup for a quick reply. */
export function faceSvg(index: number, points: number): string {
  const mood = points > 1 ? (index / (points - 1)) * 2 - 1 : 0;
  const y = 27 - mood * 2;
  return `<svg class="face" viewBox="0 0 40 40" width="32" height="32" aria-hidden="true" focusable="false"><circle cx="20" cy="20" r="17" fill="none" stroke="currentColor" stroke-width="2.5"/><circle cx="14" cy="16" r="2.2" fill="currentColor"/><circle cx="26" cy="16" r="2.2" fill="currentColor"/><path d="M12 ${y} Q20 ${(y + mood * 9).toFixed(1)} 28 ${y}" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"/></svg>`;
}
