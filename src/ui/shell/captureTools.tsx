import { useEffect, useState } from 'preact/hooks';
import type { CaptureOptions } from '../../settings/capture-options';
import type { PanelSettings } from '../../store/panel-settings';
import type { ToolItem } from './Toolbar';

const TITLES: Record<keyof CaptureOptions, { label: string; title: string; on: string; off: string }> = {
  sendSites: {
    label: 'Call sites',
    title: 'Record where the page called send() (or wrote to a WebSocketStream), shown in each sent frame\'s detail with links '
      + 'to the Sources panel. It takes a stack at every send, which costs every send, so it is off by default. Applies to '
      + 'pages loaded (or reloaded) after you turn it on, and at once to open ones.',
    on: 'Call sites: every send() now records where it was called (it costs every send).',
    off: 'Call sites: sends are no longer traced.',
  },
  workers: {
    label: 'Capture workers',
    title: 'Deep capture of the dedicated and module workers a page creates: each gets the capture hook first, and its sockets '
      + 'stream to this panel through the page, from page load, with their close codes. In Chrome the worker is started from a '
      + 'blob: URL (its location and relative URLs are given back); in Firefox the hook goes into the worker\'s own script as it '
      + 'loads (see README: sockets in workers). Pages loaded from now on.',
    on: 'Capture workers: workers of pages loaded from now on get the capture hook (reload the page).',
    off: 'Workers are no longer captured by the hook (reload the page); the network log still shows their sockets.',
  },
};

/**
 * The capture options as toolbar check boxes (kept in storage.local, read by every page's relay): send()
 * call sites and deep capture of workers, both off by default; each says what it does and costs.
 */
export function useCaptureTools(settings: PanelSettings | undefined, say: (text: string, error: boolean) => void): ToolItem[] {
  const [options, setOptions] = useState<CaptureOptions | undefined>(undefined);
  useEffect(() => {
    settings?.captureOptions().then(setOptions, () => setOptions({ sendSites: false, workers: false }));
  }, [settings]);
  if (!settings || !options) return [];
  const set = (key: keyof CaptureOptions, on: boolean): void => {
    setOptions((o) => o && { ...o, [key]: on });
    settings.setCaptureOption(key, on).then(() => say(on ? TITLES[key].on : TITLES[key].off, false),
      (e: unknown) => say(`Could not change ${TITLES[key].label}: ${String(e)}`, true));
  };
  return (['sendSites', 'workers'] as const).map((key) => {
    const t = TITLES[key], on = options[key];
    return {
      id: key, group: 'capture',
      inline: (
        <label class="tool-check" title={t.title}>
          <input type="checkbox" checked={on} onChange={(e) => set(key, e.currentTarget.checked)} />
          {t.label}
        </label>
      ),
      menu: [{ label: t.label, checked: on, run: () => set(key, !on) }],
    };
  });
}
