/** The unread total as shown on a badge: nothing at zero, "99+" beyond 99. */
export function badgeText(count: number): string {
  if (!Number.isFinite(count) || count <= 0) return '';
  return count > 99 ? '99+' : String(Math.floor(count));
}

/** How the tray shows the total: a number drawn on the icon, or (macOS menu bar) a title beside it. */
export type TrayBadge = { kind: 'icon'; text: string } | { kind: 'title'; text: string };
/** How the OS shell shows the total. */
export type ShellBadge =
  | { kind: 'overlay'; text: string } // Windows taskbar overlay icon; '' clears it
  | { kind: 'dock'; text: string } // macOS dock badge; '' clears it
  | { kind: 'count'; count: number }; // Linux launchers (Unity / KDE) through app.setBadgeCount

export interface BadgePlan {
  tray: TrayBadge;
  shell: ShellBadge;
}

/** Decide what each OS surface shows for an unread total. */
export function badgePlan(platform: NodeJS.Platform, count: number): BadgePlan {
  const text = badgeText(count);
  if (platform === 'win32') return { tray: { kind: 'icon', text }, shell: { kind: 'overlay', text } };
  // Menu-bar icons are monochrome template images: the number goes beside the icon instead.
  if (platform === 'darwin') return { tray: { kind: 'title', text }, shell: { kind: 'dock', text } };
  return { tray: { kind: 'icon', text }, shell: { kind: 'count', count: text ? Math.floor(count) : 0 } };
}
