/** The UTC day, `YYYY-MM-DD`: the only time Heard keeps about a response. */
export const dayOf = (date: Date) => date.toISOString().slice(0, 10);
export const today = () => dayOf(new Date());
export const nowIso = () => new Date().toISOString();
export const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);
