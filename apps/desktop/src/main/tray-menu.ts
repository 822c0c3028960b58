import type { MenuItemConstructorOptions } from 'electron';

export interface TrayState {
  doNotDisturb: boolean;
  isAdmin: boolean;
}

export interface TrayActions {
  open(): void;
  setDoNotDisturb(on: boolean): void;
  openAdmin(): void;
  quit(): void;
}

/** The tray menu: Open, Do not disturb, Admin window (admins only), Quit. */
export function trayMenuTemplate(state: TrayState, actions: TrayActions, t: (key: TrayLabel) => string): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [
    { id: 'open', label: t('open'), click: () => actions.open() },
    { id: 'dnd', label: t('dnd'), type: 'checkbox', checked: state.doNotDisturb, click: (item) => actions.setDoNotDisturb(item.checked) },
  ];
  if (state.isAdmin) items.push({ id: 'admin', label: t('admin'), click: () => actions.openAdmin() });
  items.push({ type: 'separator' }, { id: 'quit', label: t('quit'), click: () => actions.quit() });
  return items;
}

export type TrayLabel = 'open' | 'dnd' | 'admin' | 'quit' | 'tooltip';

const LABELS: Record<'ko' | 'en', Record<TrayLabel, string>> = {
  ko: { open: '열기', dnd: '방해 금지', admin: '관리자 창', quit: '종료', tooltip: 'Hi_Msg' },
  en: { open: 'Open', dnd: 'Do not disturb', admin: 'Admin window', quit: 'Quit', tooltip: 'Hi_Msg' },
};

/** Tray labels in the OS language (Korean or English). */
export function trayLabels(locale: string): (key: TrayLabel) => string {
  const table = locale.toLowerCase().startsWith('ko') ? LABELS.ko : LABELS.en;
  return (key) => table[key];
}

/** The tray tooltip with the unread total. */
export function trayTooltip(locale: string, text: string): string {
  if (!text) return 'Hi_Msg';
  return locale.toLowerCase().startsWith('ko') ? `Hi_Msg — 읽지 않은 메시지 ${text}` : `Hi_Msg — ${text} unread`;
}
