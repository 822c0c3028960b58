import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';

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

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A real PNG (a yellow-to-blue gradient) so the server's content check and thumbnailer accept it. */
export function makePng(width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x += 1) {
      const t = x / width;
      raw[row + 1 + x * 3] = Math.round(254 * (1 - t) + 60 * t);
      raw[row + 2 + x * 3] = Math.round(229 * (1 - t) + 120 * t + (y % 16 < 8 ? 10 : 0));
      raw[row + 3 + x * 3] = Math.round(0 * (1 - t) + 220 * t);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
