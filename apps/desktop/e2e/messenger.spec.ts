import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ADMIN_PASSWORD } from './env';
import { loggedIn, login, makePng, messageRow, roomItem, say, shot, signup, type Person } from './helpers';

// One story through the product in three browser contexts (admin, A, B) plus a fourth user for
// the group; each test builds on the previous one.
test.describe.configure({ mode: 'serial' });

const A: Person = { employeeId: 'e2e-minji', name: '김민지', email: 'minji@corp.example', department: '개발팀', position: '선임', grade: 'G3', password: 'Minji-pass-7731' };
const B: Person = { employeeId: 'e2e-seojun', name: '이서준', email: 'seojun@corp.example', department: '개발팀', position: '책임', grade: 'G4', password: 'Seojun-pass-7731' };
const C: Person = { employeeId: 'e2e-jihun', name: '박지훈', email: 'jihun@corp.example', department: '디자인팀', position: '매니저', grade: 'G2', password: 'Jihun-pass-7731' };

let admin: Page;
let a: Page;
let b: Page;
let aContext: BrowserContext;
const contexts: BrowserContext[] = [];

async function newPage(browser: Browser, locale = 'en-US'): Promise<[BrowserContext, Page]> {
  const ctx = await browser.newContext({ locale });
  contexts.push(ctx);
  return [ctx, await ctx.newPage()];
}

test.beforeAll(async ({ browser }) => {
  [, admin] = await newPage(browser);
  [aContext, a] = await newPage(browser);
  [, b] = await newPage(browser);
});

test.afterAll(async () => {
  for (const c of contexts) await c.close();
});

test('signups wait for approval; the admin approves them on the admin screen', async ({ browser }) => {
  await a.goto('/');
  await expect(a.getByRole('button', { name: 'Log in' })).toBeVisible();
  await shot(a, 'login');
  await signup(a, A);
  await shot(a, 'signup-waiting');
  await signup(b, B);
  const [, c] = await newPage(browser);
  await signup(c, C);

  // Not approved yet: the login is refused with the translated reason.
  await login(a, A.employeeId, A.password);
  await expect(a.getByRole('alert')).toHaveText('Your account is waiting for an administrator’s approval.');

  await loggedIn(admin, 'admin', ADMIN_PASSWORD);
  await admin.goto('/#/admin');
  for (const p of [A, B, C]) await expect(admin.getByRole('cell', { name: p.name, exact: true })).toBeVisible();
  await shot(admin, 'admin-pending');
  for (const p of [A, B, C]) {
    await admin.getByRole('button', { name: `Approve ${p.name}` }).click();
    await expect(admin.getByRole('cell', { name: p.name, exact: true })).toHaveCount(0);
  }
  await admin.getByRole('tab', { name: /Users/ }).click();
  await expect(admin.getByRole('cell', { name: A.name, exact: true })).toBeVisible();

  await loggedIn(a, A.employeeId, A.password);
  await loggedIn(b, B.employeeId, B.password);
});

test('A and B chat live both ways; B’s badges count up; the 1 beside A’s message goes when B reads it', async () => {
  await a.getByRole('link', { name: 'People' }).click();
  await expect(a.getByRole('button', { name: `Chat with ${B.name}` })).toBeVisible();
  // B is online: the dot beside B is green.
  await expect(a.getByRole('button', { name: `Chat with ${B.name}` }).getByRole('img', { name: 'Online' })).toBeVisible();
  await shot(a, 'people');
  await a.getByRole('button', { name: `Chat with ${B.name}` }).click();
  await expect(a.getByRole('heading', { name: B.name })).toBeVisible();

  await say(a, '안녕하세요, 서준님! 회의 자료 보셨나요?');
  const first = messageRow(a, '회의 자료 보셨나요');
  await expect(first.locator('.unread-count')).toHaveText('1');

  // B is on the room list: the room's badge and the title badge count up live.
  await expect(roomItem(b, A.name).locator('.badge')).toHaveText('1');
  await expect(b).toHaveTitle('(1) Hi_Msg');
  await say(a, '오후 3시에 같이 검토해요.');
  await expect(roomItem(b, A.name).locator('.badge')).toHaveText('2');
  await expect(b).toHaveTitle('(2) Hi_Msg');
  await expect(messageRow(a, '같이 검토해요').locator('.unread-count')).toHaveText('1');
  await shot(a, 'room-direct');
  await expect(roomItem(b, A.name).locator('.room-preview')).toHaveText('오후 3시에 같이 검토해요.');
  await shot(b, 'room-list-unread');

  // B opens the room: it is read, and A sees the numbers disappear.
  await roomItem(b, A.name).click();
  await expect(messageRow(b, '회의 자료 보셨나요')).toBeVisible();
  await expect(b).toHaveTitle('Hi_Msg');
  await expect(a.locator('.msg .unread-count')).toHaveCount(0);

  // B starts typing: A sees it.
  await b.getByRole('textbox', { name: 'Message' }).pressSequentially('네, 봤');
  await expect(a.getByRole('status').filter({ hasText: `${B.name} is typing…` })).toBeVisible();
  await b.getByRole('textbox', { name: 'Message' }).fill('');
  await say(b, '네, 봤습니다. 3시에 뵐게요');
  await expect(messageRow(a, '3시에 뵐게요')).toBeVisible();
  await expect(messageRow(a, '3시에 뵐게요').locator('.sender')).toHaveText(B.name);
  await expect(messageRow(b, '3시에 뵐게요').locator('.unread-count')).toHaveCount(0);
});

test('a group of three: everyone receives, and the number beside a message falls as members read', async ({ browser }) => {
  const [, c] = await newPage(browser);
  await loggedIn(c, C.employeeId, C.password);
  // C waits on the People tab so the group's messages stay unread for now.
  await c.getByRole('link', { name: 'People' }).click();

  await b.getByRole('link', { name: 'Chats' }).click();
  await b.goto('/#/chats');
  await a.getByRole('link', { name: 'Chats' }).click();
  await a.getByRole('button', { name: 'New group' }).click();
  const dialog = a.getByRole('dialog', { name: 'New group' });
  await dialog.getByLabel('Group name').fill('프로젝트 알파');
  await dialog.getByRole('checkbox', { name: `Select ${B.name}` }).check();
  await dialog.getByRole('checkbox', { name: `Select ${C.name}` }).check();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(a.getByRole('heading', { name: '프로젝트 알파' })).toBeVisible();

  await say(a, '알파 프로젝트 킥오프는 내일 10시입니다.');
  const row = messageRow(a, '킥오프는 내일 10시');
  await expect(row.locator('.unread-count')).toHaveText('2');

  await roomItem(b, '프로젝트 알파').click();
  await expect(messageRow(b, '킥오프는 내일 10시')).toBeVisible();
  await expect(row.locator('.unread-count')).toHaveText('1');
  await shot(a, 'room-group');

  await c.getByRole('link', { name: 'Chats' }).click();
  await expect(roomItem(c, '프로젝트 알파').locator('.badge')).toHaveText('1');
  await roomItem(c, '프로젝트 알파').click();
  await expect(messageRow(c, '킥오프는 내일 10시')).toBeVisible();
  await expect(row.locator('.unread-count')).toHaveCount(0);

  await say(c, '확인했습니다!');

  // Room search, then A invites the admin; everyone sees who joined.
  await a.getByRole('searchbox', { name: 'Search chats' }).fill('알파');
  await expect(a.locator('.room-item')).toHaveCount(1);
  await a.getByRole('searchbox', { name: 'Search chats' }).fill('');
  await a.getByRole('button', { name: 'Invite' }).click();
  const invite = a.getByRole('dialog', { name: 'Invite to the group' });
  await expect(invite.getByRole('checkbox', { name: `Select ${B.name}` })).toHaveCount(0); // already a member
  await invite.getByRole('checkbox', { name: 'Select 관리자' }).check();
  await invite.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(b.locator('.system', { hasText: `${A.name} invited 관리자.` })).toBeVisible();
  await expect(roomItem(b, '프로젝트 알파').locator('.room-preview')).toHaveText(`${A.name} invited 관리자.`);
  await expect(a.getByText('4 members')).toBeVisible();

  // Any member renames the group; the others see the new name.
  await a.getByRole('button', { name: 'Rename' }).click();
  await a.getByRole('dialog', { name: 'Rename the group' }).getByLabel('Group name').fill('프로젝트 알파팀');
  await a.getByRole('dialog', { name: 'Rename the group' }).getByRole('button', { name: 'Save' }).click();
  await expect(a.getByRole('heading', { name: '프로젝트 알파팀' })).toBeVisible();
  await expect(b.getByRole('heading', { name: '프로젝트 알파팀' })).toBeVisible();
  await expect(messageRow(a, '확인했습니다!').locator('.sender')).toHaveText(C.name);
  await expect(messageRow(b, '확인했습니다!')).toBeVisible();
});

test('an image upload shows its preview inline for both; another file downloads', async () => {
  await a.getByRole('button', { name: 'Attach file' }).first().click({ trial: true });
  await a.getByTestId('file-input').setInputFiles({ name: '시안-1.png', mimeType: 'image/png', buffer: makePng(320, 200) });
  const imgA = a.getByRole('img', { name: '시안-1.png' });
  await expect(imgA).toBeVisible();
  await expect(imgA).toHaveAttribute('src', /^blob:/);
  expect(await imgA.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);
  const imgB = b.getByRole('img', { name: '시안-1.png' });
  await expect(imgB).toBeVisible();
  expect(await imgB.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);

  // The larger view opens on click.
  await b.getByRole('button', { name: 'Open image 시안-1.png' }).click();
  await expect(b.getByRole('dialog', { name: '시안-1.png' }).getByRole('img')).toBeVisible();
  await shot(b, 'image-preview');
  await b.getByRole('button', { name: 'Close' }).click();

  // A type outside the 14 is refused at once; a fake image is refused by the server's content check.
  await a.getByTestId('file-input').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await expect(a.getByRole('alert').filter({ hasText: 'setup.exe: This type of file cannot be sent.' })).toBeVisible();
  await a.getByTestId('file-input').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('<html>not an image</html>') });
  await expect(a.getByRole('alert').filter({ hasText: 'fake.png: This type of file cannot be sent.' })).toBeVisible();
  while ((await a.locator('.upload button').count()) > 0) await a.locator('.upload button').first().click();

  // Drag and drop works too.
  const png = makePng(120, 80).toString('base64');
  const dataTransfer = await a.evaluateHandle((b64) => {
    const dt = new DataTransfer();
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    dt.items.add(new File([bytes], '드래그.png', { type: 'image/png' }));
    return dt;
  }, png);
  await a.locator('.room').dispatchEvent('dragover', { dataTransfer });
  await a.locator('.room').dispatchEvent('drop', { dataTransfer });
  await expect(b.getByRole('img', { name: '드래그.png' })).toBeVisible();

  await a.getByTestId('file-input').setInputFiles({ name: '회의록.txt', mimeType: 'text/plain', buffer: Buffer.from('회의록: 알파 프로젝트\n') });
  await expect(b.getByRole('button', { name: 'Download 회의록.txt' })).toBeVisible();
  const download = b.waitForEvent('download');
  await b.getByRole('button', { name: 'Download 회의록.txt' }).click();
  expect((await download).suggestedFilename()).toBe('회의록.txt');
});

test('A deletes a message and it disappears for B', async () => {
  await say(a, '잘못 보낸 메시지');
  await expect(messageRow(b, '잘못 보낸 메시지')).toBeVisible();
  const row = messageRow(a, '잘못 보낸 메시지');
  await row.hover();
  await row.getByRole('button', { name: 'Delete message' }).click();
  await a.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(messageRow(b, '잘못 보낸 메시지')).toHaveCount(0);
  await expect(messageRow(a, '잘못 보낸 메시지')).toHaveCount(0);
  await expect(b.locator('.bubble.deleted').last()).toHaveText('This message was deleted.');
});

test('A goes offline, writes, comes back (also after closing the app): B gets each message exactly once, and A syncs what B wrote meanwhile', async () => {
  await aContext.setOffline(true);
  await expect(a.getByText('Offline. Messages will be sent when the connection returns.')).toBeVisible();
  await say(a, '오프라인에서 쓴 메시지');
  await expect(a.locator('.msg.pending', { hasText: '오프라인에서 쓴 메시지' })).toBeVisible();
  await shot(a, 'offline-pending');
  await b.waitForTimeout(500);
  await expect(messageRow(b, '오프라인에서 쓴 메시지')).toHaveCount(0);

  // Meanwhile B writes; A catches up through sync when it reconnects.
  await say(b, 'A가 없는 동안 보낸 메시지');
  await expect(messageRow(b, 'A가 없는 동안 보낸 메시지')).toBeVisible();

  await aContext.setOffline(false);
  await expect(messageRow(b, '오프라인에서 쓴 메시지')).toHaveCount(1);
  await expect(messageRow(a, 'A가 없는 동안 보낸 메시지')).toHaveCount(1);
  await expect(a.locator('.msg.pending')).toHaveCount(0);
  await expect(messageRow(a, '오프라인에서 쓴 메시지')).toHaveCount(1);
  await b.waitForTimeout(1000);
  await expect(messageRow(b, '오프라인에서 쓴 메시지')).toHaveCount(1);

  // A reload keeps B signed in (the refresh token), and the history is still there once.
  await b.reload();
  await expect(messageRow(b, '오프라인에서 쓴 메시지')).toHaveCount(1);

  // Also across a restart: written offline, the app closed, opened again once online.
  await aContext.setOffline(true);
  await expect(a.getByText('Offline. Messages will be sent when the connection returns.')).toBeVisible();
  await say(a, '재시작한 뒤에 전송될 메시지');
  await expect(a.locator('.msg.pending', { hasText: '재시작한 뒤에 전송될 메시지' })).toBeVisible();
  await a.close();
  await aContext.setOffline(false);
  a = await aContext.newPage();
  await a.goto('/#/chats');
  await expect(messageRow(b, '재시작한 뒤에 전송될 메시지')).toHaveCount(1);
  await b.waitForTimeout(1000);
  await expect(messageRow(b, '재시작한 뒤에 전송될 메시지')).toHaveCount(1);
});

test('the password reset: requested on the login screen, approved on the admin screen, then the new password works', async ({ browser }) => {
  const [, page] = await newPage(browser);
  await page.goto('/#/reset');
  await page.getByLabel('Employee ID').fill(C.employeeId);
  await page.getByLabel('Email').fill(C.email);
  await page.getByRole('button', { name: 'Request a reset' }).click();
  await expect(page.getByRole('status')).toHaveText('Waiting for an administrator’s approval…');
  const code = (await page.getByLabel('Check code').textContent())!;
  expect(code).toMatch(/^\d{3} \d{3}$/);
  await shot(page, 'reset-pending');

  await admin.reload();
  await admin.getByRole('tab', { name: /Password resets/ }).click();
  // The admin compares the code with the one on the employee's screen before approving.
  await expect(admin.getByRole('row', { name: new RegExp(C.name) }).filter({ hasText: code })).toHaveCount(1);
  await admin.getByRole('button', { name: `Approve reset for ${C.name}` }).click();
  await expect(admin.getByRole('button', { name: `Approve reset for ${C.name}` })).toHaveCount(0);
  await shot(admin, 'admin-resets');

  await expect(page.getByRole('status')).toHaveText('Approved. Choose your new password.', { timeout: 10_000 });
  await page.getByLabel('New password').fill('Jihun-new-pass-9902');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('status')).toHaveText('Your password was changed. You can log in now.');

  await login(page, C.employeeId, C.password);
  await expect(page.getByRole('alert')).toHaveText('The employee ID or password is wrong.');
  await loggedIn(page, C.employeeId, 'Jihun-new-pass-9902');
});

test('my page in two languages; the admin deletes a user after a backup notice, and their messages stay as from a departed employee', async () => {
  await a.getByRole('link', { name: 'My page' }).click();
  await expect(a.getByRole('heading', { name: A.name })).toBeVisible();
  await a.getByRole('checkbox', { name: 'Do not disturb' }).check();
  await shot(a, 'my-page');
  // The same app in Korean, the language a Korean OS picks by default; switching keeps the session.
  let newSockets = 0;
  a.on('websocket', () => (newSockets += 1));
  await a.getByRole('combobox', { name: 'Language' }).selectOption('ko');
  await expect(a.getByRole('heading', { name: '내 정보' })).toBeVisible();
  await a.getByRole('link', { name: '채팅' }).click();
  await roomItem(a, '프로젝트 알파').click();
  await expect(a.getByRole('button', { name: '초대' })).toBeVisible();
  await shot(a, 'room-group-ko');
  expect(newSockets).toBe(0);

  await admin.getByRole('tab', { name: 'Audit log' }).click();
  await expect(admin.getByRole('table')).toBeVisible();
  await admin.getByRole('tab', { name: /Users/ }).click();
  await admin.getByRole('button', { name: `Delete ${C.name}` }).click();
  await expect(admin.getByRole('dialog')).toContainText('backed up to deleted_user_logs/');
  await shot(admin, 'admin-delete-user');
  await admin.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(admin.getByRole('cell', { name: C.name, exact: true })).toHaveCount(0);
  // C's messages stay for the others, from a departed employee (A reads Korean now).
  await expect(messageRow(a, '확인했습니다!').locator('.sender')).toHaveText('퇴사한 직원');
  await expect(a.getByText('3명')).toBeVisible();
});
