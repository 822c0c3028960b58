import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { encodePng } from '../src/main/pixels';

export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

export interface Person {
  employeeId: string;
  name: string;
  email: string;
  department: string;
  position: string;
  grade: string;
  password: string;
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export async function signup(page: Page, p: Person): Promise<void> {
  await page.goto('/#/signup');
  await page.getByLabel('Employee ID').fill(p.employeeId);
  await page.getByLabel('Name', { exact: true }).fill(p.name);
  await page.getByLabel('Email').fill(p.email);
  await page.getByLabel('Department').fill(p.department);
  await page.getByLabel('Position').fill(p.position);
  await page.getByLabel('Grade').fill(p.grade);
  await page.getByLabel('Password', { exact: true }).fill(p.password);
  await page.getByLabel('Confirm password').fill(p.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('status')).toContainText('once an administrator approves it');
}

export async function login(page: Page, employeeId: string, password: string): Promise<void> {
  await page.goto('/#/login');
  await page.getByLabel('Employee ID').fill(employeeId);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function loggedIn(page: Page, employeeId: string, password: string): Promise<void> {
  await login(page, employeeId, password);
  await expect(page.getByRole('link', { name: 'Chats' })).toBeVisible();
}

/** The composer: type and press Enter. */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** The room list line of a room, by its title. */
export function roomItem(page: Page, title: string) {
  return page.locator('.room-item', { has: page.locator('.name', { hasText: title }) });
}

/** A message bubble row containing the text. */
export function messageRow(page: Page, text: string) {
  return page.locator('.msg', { has: page.locator('.bubble', { hasText: text }) });
}

/** A real PNG (a yellow-to-blue gradient) so the server's content check and thumbnailer accept it. */
export function makePng(width: number, height: number): Buffer {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const t = x / width;
      const i = (y * width + x) * 4;
      data.set([Math.round(254 * (1 - t) + 60 * t), Math.round(229 * (1 - t) + 120 * t + (y % 16 < 8 ? 10 : 0)), Math.round(220 * t), 255], i);
    }
  }
  return encodePng({ width, height, data });
}
