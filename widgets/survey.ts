/**
 * Enhances the server-rendered survey form (src/views/survey.tsx): one question at a time,
 * linked and announced errors, branching, a pending response kept in sessionStorage until it is
 * delivered, "Read it to me", and Leave quickly. If anything here fails, the plain form still works.
 */
import { visibleQuestions, type AnswerValue, type Answers } from '../src/domain/survey';
import type { ShowIf } from '../src/schemas/survey-definition';
import { $$, canSpeak, fill, setUpPage, speak } from './page';

const PENDING = 'heard:pending';
const TIMEOUT_MS = 15_000;

interface Config {
  action: string;
  thanks: string;
  uiLang: string;
  speechLang: string;
  m: Record<string, string>;
}
interface Submission {
  id: string;
  answers: Answers;
  lang?: string;
  ageBand?: string;
  link?: string;
}
interface Pending {
  action: string;
  thanks: string;
  body: Submission;
}
interface Step {
  id: string;
  el: HTMLFieldSetElement;
  kind: string;
  max: number;
  showIf?: ShowIf;
}

const storage = {
  load(): Pending | null {
    try {
      return JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as Pending | null;
    } catch {
      return null;
    }
  },
  save(p: Pending) {
    try {
      sessionStorage.setItem(PENDING, JSON.stringify(p));
    } catch {
      /* storage full or blocked: we still try to send */
    }
  },
  clear() {
    try {
      sessionStorage.removeItem(PENDING);
    } catch {
      /* nothing to clear */
    }
  },
};

class SurveyForm {
  private cfg: Config;
  private steps: Step[];
  private current: Step;
  private status: HTMLElement;
  private retryButton: HTMLButtonElement;
  private summary: HTMLElement | null = null;
  private attempt = 0;
  private timer = 0;
  private sending = false;

  constructor(private form: HTMLFormElement) {
    this.cfg = JSON.parse(form.dataset.config!) as Config;
    this.steps = $$<HTMLFieldSetElement>(form, 'fieldset[data-q]').map((el) => ({
      id: el.dataset.q!,
      el,
      kind: el.dataset.kind!,
      max: Number(el.dataset.max ?? 0),
      showIf: el.dataset.showIf ? (JSON.parse(el.dataset.showIf) as ShowIf) : undefined,
    }));
    this.current = this.steps.find((s) => s.el.querySelector('.error')) ?? this.steps[0]!;
    this.status = form.querySelector('[data-status]')!;
    this.retryButton = Object.assign(document.createElement('button'), {
      type: 'button',
      className: 'secondary',
      hidden: true,
      textContent: this.cfg.m.retry!,
    });
    this.retryButton.lang = this.cfg.uiLang;
    this.status.after(this.retryButton);
  }

  start() {
    const { form } = this;
    this.button('back').addEventListener('click', () => this.move(-1));
    this.button('next').addEventListener('click', () => this.move(1));
    this.retryButton.addEventListener('click', () => this.deliverNow());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.isLast()) this.send();
      else this.move(1);
    });
    form.addEventListener('change', (e) => this.exclusiveSkip(e.target as HTMLInputElement));
    addEventListener('online', () => this.deliverNow());
    this.setUpSpeech();
    document.documentElement.classList.add('js');
    const pending = storage.load();
    if (pending && pending.action === this.cfg.action) {
      // A response from before a reload or a lost connection: send it, don't ask again.
      this.showOnly(null);
      this.deliver(pending);
    } else {
      this.show(this.current, false);
    }
  }

  private button(name: string) {
    return this.form.querySelector<HTMLButtonElement>(`[data-${name}]`)!;
  }

  private answers(): Answers {
    const answers: Answers = {};
    for (const step of this.steps) {
      const value = this.valueOf(step);
      if (value !== undefined) answers[step.id] = value;
    }
    return answers;
  }

  private valueOf(step: Step): AnswerValue | undefined {
    const inputs = $$<HTMLInputElement>(step.el, 'input:checked');
    if (inputs.some((i) => i.dataset.skip !== undefined)) return null;
    if (step.kind === 'text') {
      const text = step.el.querySelector('textarea')!.value.trim();
      return text ? text : undefined;
    }
    const values = inputs.map((i) => i.value);
    if (!values.length) return undefined;
    if (step.el.dataset.multiple) return values;
    return step.kind === 'rating' ? Number(values[0]) : values[0]!;
  }

  private visible(): Step[] {
    return visibleQuestions(this.steps, this.answers());
  }

  private isLast() {
    const list = this.visible();
    return list.indexOf(this.current) === list.length - 1;
  }

  private move(by: 1 | -1) {
    if (by === 1 && !this.check(this.current)) return;
    const list = this.visible();
    const next = list[list.indexOf(this.current) + by];
    if (next) this.show(next, true);
    else if (by === 1) this.send();
  }

  private showOnly(step: Step | null) {
    for (const s of this.steps) s.el.hidden = s !== step;
    for (const el of $$<HTMLElement>(document, '[data-intro]')) el.hidden = step !== this.steps[0];
    const list = this.visible();
    const n = step ? list.indexOf(step) : -1;
    this.button('back').hidden = n < 1;
    this.button('next').hidden = !step || n === list.length - 1;
    this.button('send').hidden = !step || n !== list.length - 1;
  }

  /** Shows one question; moves focus to its heading so it is read out (not on first load). */
  private show(step: Step, focus: boolean) {
    this.current = step;
    this.showOnly(step);
    // "Question 2": the questions on the path so far, never a total that a branch could change.
    const n = this.visible().indexOf(step) + 1;
    step.el.querySelector<HTMLElement>('[data-progress]')!.textContent = fill(this.cfg.m.progressOnly!, { n });
    // The bar against every question the survey has, branches included: it only grows going forward.
    const bar = this.form.querySelector<HTMLElement>('[data-bar]');
    if (bar) {
      bar.hidden = false;
      bar.querySelector<HTMLElement>('[data-bar-fill]')!.style.width = `${Math.round((n / (this.steps.length + 1)) * 100)}%`;
    }
    if (focus) {
      // A new step is a new screen: start it at the top, clear of the sticky Leave bar.
      scrollTo(0, 0);
      step.el.querySelector<HTMLElement>('[data-heading]')!.focus();
    }
  }

  /** The only thing that can be wrong with an answer here: text longer than the question allows. */
  private check(step: Step): boolean {
    this.clearError(step);
    if (step.kind !== 'text') return true;
    const skip = step.el.querySelector<HTMLInputElement>('[data-skip]');
    const text = step.el.querySelector('textarea')!.value;
    if (skip?.checked || [...text].length <= step.max) return true;
    this.showError(step, fill(this.cfg.m.tooLong!, { max: step.max }));
    return false;
  }

  private clearError(step: Step) {
    step.el.querySelector('.error')?.remove();
    const field = this.fieldOf(step);
    field.removeAttribute('aria-invalid');
    const owner = step.kind === 'text' ? field : step.el;
    const ids = (owner.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== `err-${step.id}`);
    if (ids.length) owner.setAttribute('aria-describedby', ids.join(' '));
    else owner.removeAttribute('aria-describedby');
    step.el.removeAttribute('aria-invalid');
    this.summary?.remove();
    this.summary = null;
  }

  private fieldOf(step: Step): HTMLElement {
    return step.el.querySelector<HTMLElement>(`#a-${step.id}`)!;
  }

  /** An error beside the field (linked by aria-describedby) and a summary that takes focus, so it is announced. */
  private showError(step: Step, message: string) {
    const { m, uiLang } = this.cfg;
    const error = Object.assign(document.createElement('p'), { className: 'error', id: `err-${step.id}`, textContent: message, lang: uiLang });
    const field = this.fieldOf(step);
    const owner = step.kind === 'text' ? field : step.el;
    (step.kind === 'text' ? field.previousElementSibling! : step.el.querySelector('.options')!).before(error);
    owner.setAttribute('aria-describedby', `${owner.getAttribute('aria-describedby') ?? ''} err-${step.id}`.trim());
    owner.setAttribute('aria-invalid', 'true');

    const summary = document.createElement('div');
    summary.className = 'error-summary';
    summary.tabIndex = -1;
    summary.setAttribute('role', 'alert');
    summary.setAttribute('aria-labelledby', 'error-summary-js');
    summary.lang = uiLang;
    const title = Object.assign(document.createElement('h2'), { id: 'error-summary-js', textContent: m.errorSummary! });
    const link = Object.assign(document.createElement('a'), { href: `#a-${step.id}`, textContent: message });
    link.addEventListener('click', (e) => {
      e.preventDefault();
      field.focus();
    });
    const list = document.createElement('ul');
    list.append(Object.assign(document.createElement('li'), {}));
    list.firstElementChild!.append(link);
    summary.append(title, list);
    this.form.prepend(summary);
    this.summary = summary;
    if (step !== this.current) this.show(step, false);
    summary.focus();
  }

  /** "I'd rather not say" and the answers exclude each other in checkbox questions. */
  private exclusiveSkip(input: HTMLInputElement) {
    if (input.type !== 'checkbox' || !input.checked) return;
    const step = this.steps.find((s) => s.el.contains(input));
    if (!step) return;
    for (const other of $$<HTMLInputElement>(step.el, 'input[type=checkbox]')) {
      if (other !== input && (input.dataset.skip !== undefined || other.dataset.skip !== undefined)) other.checked = false;
    }
  }

  private send() {
    if (!this.check(this.current)) return;
    const answers: Answers = {};
    const all = this.answers();
    for (const step of this.visible()) if (step.id in all) answers[step.id] = all[step.id]!;
    const field = (name: string) => (this.form.elements.namedItem(name) as HTMLInputElement | null)?.value || undefined;
    const body: Submission = { id: field('id')!, answers, lang: field('lang'), ageBand: field('ageBand'), link: field('link') };
    const pending: Pending = { action: this.cfg.action, thanks: this.cfg.thanks, body };
    storage.save(pending);
    this.deliver(pending);
  }

  private deliverNow() {
    const pending = storage.load();
    if (!pending || this.sending) return;
    clearTimeout(this.timer);
    this.deliver(pending);
  }

  /** Sends the pending response; the server treats a repeat of the same id as the same response. */
  private async deliver(pending: Pending) {
    if (this.sending) return;
    this.sending = true;
    this.say(this.cfg.m.sending!);
    this.retryButton.hidden = true;
    this.showOnly(null);
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), TIMEOUT_MS);
    let res: Response | undefined;
    try {
      res = await fetch(pending.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(pending.body),
        credentials: 'omit',
        signal: abort.signal,
      });
    } catch {
      res = undefined;
    } finally {
      clearTimeout(timeout);
      this.sending = false;
    }
    if (res?.ok) {
      const reply = (await res.json().catch(() => ({}))) as { signpost?: unknown; identifiable?: boolean };
      storage.clear();
      // replace(): the survey page leaves history, so Back cannot bring the answers up again.
      location.replace(pending.thanks + (reply.signpost ? '&support=1' : '') + (reply.identifiable ? '&known=1' : ''));
      return;
    }
    if (!res || res.status >= 500 || res.status === 408 || res.status === 429) return this.retryLater();
    storage.clear();
    const problem = (await res.json().catch(() => null)) as { error?: { code?: string; fields?: { path: string; message: string }[] } } | null;
    const { m } = this.cfg;
    if (res.status === 400) {
      const bad = problem?.error?.fields?.map((f) => this.steps.find((s) => `answers.${s.id}` === f.path)).find(Boolean);
      this.say('');
      if (bad && bad.kind === 'text') return this.showError(bad, fill(m.tooLong!, { max: bad.max }));
      this.say(m.formProblem!);
      this.show(this.steps[0]!, true);
      return;
    }
    this.say(res.status === 410 ? (problem?.error?.code === 'link_unusable' ? m.linkUsed! : m.closed!) : m.failed!);
  }

  private retryLater() {
    this.say(this.cfg.m.offline!);
    this.retryButton.hidden = false;
    const delay = Math.min(60_000, 3000 * 2 ** this.attempt++) * (0.8 + Math.random() * 0.4);
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.deliverNow(), delay);
  }

  private say(text: string) {
    this.status.textContent = text;
    this.status.lang = this.cfg.uiLang;
  }

  /** "Read it to me" appears only where the browser can speak. */
  private setUpSpeech() {
    if (!canSpeak()) return;
    const { m, speechLang } = this.cfg;
    for (const button of $$<HTMLButtonElement>(this.form, '[data-speak]')) {
      button.hidden = false;
      button.addEventListener('click', () => {
        const text = $$(button.closest('fieldset')!, '[data-speak-text]')
          .map((e) => e.textContent)
          .join('. ');
        speak(text, speechLang, button.querySelector('[data-speak-label]')!, m as { readToMe: string; stopReading: string });
      });
    }
  }
}

try {
  setUpPage();
  const form = document.querySelector<HTMLFormElement>('form[data-survey-form]');
  if (form) new SurveyForm(form).start();
  else storage.clear();
} catch (err) {
  // The plain form still works; say why in the console without any answers.
  console.error('[heard] enhancement failed:', err instanceof Error ? err.message : err);
}
