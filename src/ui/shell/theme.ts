/**
 * Light or dark, following DevTools unless the URL says otherwise.
 *
 * Chrome names its themes 'default' and 'dark', Firefox 'light' and 'dark';
 * a detached panel (a normal tab) has no DevTools theme and follows the OS.
 */
export type Theme = 'light' | 'dark';

export function resolveTheme(opts: { query?: string | null; devtools?: string | null; prefersDark?: boolean }): Theme {
  if (opts.query === 'dark' || opts.query === 'light') return opts.query;
  if (opts.devtools) return opts.devtools === 'dark' ? 'dark' : 'light';
  return opts.prefersDark ? 'dark' : 'light';
}

export function applyTheme(body: HTMLElement, theme: Theme): void {
  body.classList.toggle('theme-dark', theme === 'dark');
  body.classList.toggle('theme-light', theme === 'light');
}
