import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { anAdmin, aReader } from '../support/principals';
import { call, tokenFor, useTokens } from '../support/api';
import { checkScreen, consoleUrl, expectNothingLeaked, signIn, useConsolePages } from '../support/browser';

/** A namespace of application `shop` (each run has a platform of its own: fixed names keep the screenshots stable). */
async function aNamespace(token: string, name: string, body: Record<string, unknown> = {}): Promise<string> {
  const created = await call('POST', '/namespaces', { token, body: { applicationId: 'shop', name, ...body } });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function putEntry(token: string, namespaceId: string, key: string, body: Record<string, unknown>) {
  const path = `/${namespaceId}/entries/${key.split('/').map(encodeURIComponent).join('/')}`;
  const answer = await call('PUT', path, { token, body });
  expect([200, 201]).toContain(answer.status);
  return answer.body;
}

const getEntry = (token: string, namespaceId: string, key: string) =>
  call('GET', `/${namespaceId}/entries/${key.split('/').map(encodeURIComponent).join('/')}`, { token });

/** The key cells' names of the rows the namespace page shows, in order. */
const rowNames = (page: Page) => page.getByRole('row').locator('td a').allTextContents();

describe('the entries of a namespace in the web console', () => {
  const { newPage } = useConsolePages();
  const tokens = useTokens({ admin: anAdmin({ id: 'console-admin' }) });

  it('creates an entry of each type (a file uploaded and downloaded byte for byte), lists them by folder, and deletes one', async () => {
    const namespaceId = await aNamespace(tokens.admin, 'storefront', { description: 'What the shop front reads' });
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.admin);
    await page.getByRole('link', { name: 'storefront' }).click();
    await page.getByRole('heading', { name: 'storefront' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'No entries yet.' }).waitFor();

    const create = async (key: string, type: string, fill: () => Promise<void>) => {
      await page.getByRole('link', { name: 'New entry' }).click();
      await page.getByLabel('Key', { exact: true }).fill(key);
      await page.getByLabel('Type', { exact: true }).selectOption(type);
      await fill();
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByRole('heading', { name: key, exact: true }).waitFor();
      await page.getByRole('button', { name: 'Back' }).click();
      await page.getByLabel('Keys starting with').waitFor();
    };
    await create('settings/greeting', 'STRING', () => page.getByLabel('Value', { exact: true }).fill('Hello, shoppers'));
    await create('settings/limits', 'JSON', async () => {
      const field = page.getByLabel('Value (JSON)');
      await field.fill('{"max":5,"tiers":["a","b"]}');
      await page.getByRole('button', { name: 'Format' }).click();
      expect(await field.inputValue()).toBe('{\n  "max": 5,\n  "tiers": [\n    "a",\n    "b"\n  ]\n}');
    });
    await create('settings/port', 'NUMBER', () => page.getByLabel('Value (number)').fill('8080'));
    await create('settings/enabled', 'BOOLEAN', () => page.getByRole('radio', { name: 'True' }).check());
    const bytes = Buffer.from([0, 1, 2, 127, 128, 254, 255, 10, 13, 0]);
    await create('assets/logo.bin', 'BINARY', () =>
      page.getByLabel('File').setInputFiles({ name: 'logo.bin', mimeType: 'application/octet-stream', buffer: bytes }),
    );
    await create('schedule/launch', 'DATETIME', () => page.getByLabel('Value (date and time, UTC)').fill('2026-05-01T12:00:30'));
    await create('schedule/day', 'DATE', () => page.getByLabel('Value (date)').fill('2026-05-01'));
    await create('schedule/window', 'DURATION', async () => {
      await page.getByLabel('Value (duration)').fill('PT1H30M');
      await page.getByLabel('TTL', { exact: true }).selectOption('86400');
      await page.getByLabel('Metadata (JSON object)').fill('{"owner":"team-web"}');
    });

    const stored = async (key: string) => {
      const answer = await getEntry(tokens.admin, namespaceId, key);
      expect(answer.status).toBe(200);
      return answer.body;
    };
    expect(await stored('settings/greeting')).toMatchObject({ valueType: 'STRING', value: 'Hello, shoppers', version: 1 });
    expect(await stored('settings/limits')).toMatchObject({ valueType: 'JSON', value: { max: 5, tiers: ['a', 'b'] } });
    expect(await stored('settings/port')).toMatchObject({ valueType: 'NUMBER', value: 8080 });
    expect(await stored('settings/enabled')).toMatchObject({ valueType: 'BOOLEAN', value: true });
    expect(await stored('assets/logo.bin')).toMatchObject({ valueType: 'BINARY', value: bytes.toString('base64') });
    expect(await stored('schedule/launch')).toMatchObject({ valueType: 'DATETIME', value: '2026-05-01T12:00:30Z' });
    expect(await stored('schedule/day')).toMatchObject({ valueType: 'DATE', value: '2026-05-01' });
    const window = await stored('schedule/window');
    expect(window).toMatchObject({ valueType: 'DURATION', value: 'PT1H30M', metadata: { owner: 'team-web' } });
    expect(Date.parse(window.expiresAt) - Date.parse(window.updatedAt)).toBeGreaterThan(86_000_000);

    // Back led to the last key's folder; the top level has one row a folder.
    const toTop = () => page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'storefront' }).click();
    await toTop();
    await page.getByRole('link', { name: 'assets/' }).waitFor();
    expect(await rowNames(page)).toEqual(['assets/', 'schedule/', 'settings/']);
    expect(await checkScreen(page, 'entries')).toEqual([]);

    // The file comes back as it went.
    await page.getByRole('link', { name: 'assets/' }).click();
    await page.getByRole('link', { name: 'assets/logo.bin' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('logo.bin');
    expect(Buffer.compare(await readFile(await download.path()), bytes)).toBe(0);

    // A folder's rows carry each entry's state; one is deleted once confirmed.
    await toTop();
    await page.getByRole('link', { name: 'schedule/' }).click();
    await page.getByRole('navigation', { name: 'Folders' }).getByText('schedule').waitFor();
    expect(await rowNames(page)).toEqual(['day', 'launch', 'window']);
    const windowRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'schedule/window' }) });
    expect(await windowRow.textContent()).toMatch(/DURATION.*1.*team-web/);
    await page.getByRole('button', { name: 'Delete schedule/day' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete entry' });
    expect(await confirm.textContent()).toContain('schedule/day');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'schedule/day' }).waitFor({ state: 'detached' });
    expect((await getEntry(tokens.admin, namespaceId, 'schedule/day')).status).toBe(404);
    await expectNothingLeaked(watched, tokens.admin);
  });

  it('flags an entry changed through the API while its form is open, and lets the saver take theirs or overwrite with theirs shown', async () => {
    const namespaceId = await aNamespace(tokens.admin, 'banners');
    await putEntry(tokens.admin, namespaceId, 'home/banner', { value: 'Spring sale', valueType: 'STRING' });
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.admin);
    await page.goto(`${consoleUrl()}namespaces/${namespaceId}/entry/home/banner`);
    await page.getByRole('heading', { name: 'home/banner' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    const value = page.getByLabel('Value', { exact: true });
    expect(await value.inputValue()).toBe('Spring sale');

    await putEntry(tokens.admin, namespaceId, 'home/banner', { value: 'Summer sale', valueType: 'STRING' });
    const flag = page.getByRole('status').filter({ hasText: 'Changed since you opened it' });
    await flag.waitFor();
    expect(await flag.textContent()).toContain('saved version 2; you opened version 1');
    expect(await checkScreen(page, 'entry-edit')).toEqual([]);

    await value.fill('Autumn sale');
    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByRole('dialog', { name: 'Changed by someone else' });
    await conflict.waitFor();
    expect(await conflict.getByRole('group', { name: 'Yours' }).textContent()).toContain('Autumn sale');
    expect(await conflict.getByRole('group', { name: 'Current: version 2' }).textContent()).toContain('Summer sale');
    // Checked once the dialog's transitions have ended: axe measures contrast mid-fade otherwise (as console.browser-spec's).
    await conflict.evaluate((dialog: { getAnimations(options: { subtree: boolean }): Array<{ finished: Promise<unknown> }> }) =>
      Promise.all(dialog.getAnimations({ subtree: true }).map((animation) => animation.finished)),
    );
    expect(await checkScreen(page, 'entry-conflict')).toEqual([]);
    await conflict.getByRole('button', { name: 'Take theirs' }).click();
    await conflict.waitFor({ state: 'detached' });
    expect(await value.inputValue()).toBe('Summer sale');
    expect(await flag.count()).toBe(0);

    // Again, and this time the form's value wins, over the version it was shown.
    await putEntry(tokens.admin, namespaceId, 'home/banner', { value: 'Winter sale', valueType: 'STRING' });
    await flag.waitFor();
    await value.fill('Autumn sale');
    await page.getByRole('button', { name: 'Save' }).click();
    await conflict.getByRole('group', { name: 'Current: version 3' }).waitFor();
    await conflict.getByRole('button', { name: 'Overwrite with yours' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved version 4.' }).waitFor();
    expect((await getEntry(tokens.admin, namespaceId, 'home/banner')).body).toMatchObject({ value: 'Autumn sale', version: 4 });
    await expectNothingLeaked(watched, tokens.admin);
  });

  it('bulk deletes a selection, and shows a change made through the API without a reload, over one stream', async () => {
    const namespaceId = await aNamespace(tokens.admin, 'jobs');
    const keys = ['jobs/a', 'jobs/b', 'jobs/c', 'jobs/d', 'jobs/e'];
    const seeded = await call('POST', `/${namespaceId}/bulk/set`, {
      token: tokens.admin,
      body: { entries: keys.map((key) => ({ key, value: `run ${key}`, valueType: 'STRING' })) },
    });
    expect(seeded.status).toBe(200);
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.admin);
    await page.goto(`${consoleUrl()}namespaces/${namespaceId}?prefix=jobs/`);
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'jobs/e' }).waitFor();
    expect(await rowNames(page)).toEqual(['a', 'b', 'c', 'd', 'e']);

    for (const key of ['jobs/a', 'jobs/c', 'jobs/e']) await page.getByRole('checkbox', { name: `Select ${key}` }).check();
    await page.getByRole('button', { name: 'Delete selected (3)' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete 3 entries' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'jobs/a' }).waitFor({ state: 'detached' });
    expect(await rowNames(page)).toEqual(['b', 'd']);
    const missing = await call('POST', `/${namespaceId}/bulk/get`, { token: tokens.admin, body: { keys } });
    expect(missing.body.missing).toEqual(['jobs/a', 'jobs/c', 'jobs/e']);

    // Changes made elsewhere show on the open page: a new key, a new version, a deletion.
    await putEntry(tokens.admin, namespaceId, 'jobs/f', { value: 'nightly', valueType: 'STRING' });
    await page.getByRole('link', { name: 'jobs/f' }).waitFor();
    await putEntry(tokens.admin, namespaceId, 'jobs/b', { value: 'hourly', valueType: 'STRING' });
    const rowOfB = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'jobs/b' }) });
    await rowOfB.getByRole('cell', { name: '2', exact: true }).waitFor();
    expect((await call('DELETE', `/${namespaceId}/entries/jobs/d`, { token: tokens.admin })).status).toBe(204);
    await page.getByRole('link', { name: 'jobs/d' }).waitFor({ state: 'detached' });
    expect(await rowNames(page)).toEqual(['b', 'f']);

    // The page and an entry's editor share the tab's one stream.
    await page.getByRole('link', { name: 'jobs/f' }).click();
    await page.getByRole('heading', { name: 'jobs/f' }).waitFor();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('link', { name: 'jobs/f' }).waitFor();
    expect(watched.requestedUrls.filter((url) => new URL(url).pathname.endsWith('/watch'))).toHaveLength(1);
    await expectNothingLeaked(watched, tokens.admin);
  });

  it('browses a namespace of 10,000 entries by folder, page by page, and by prefix', async () => {
    const namespaceId = await aNamespace(tokens.admin, 'catalog');
    const pad = (n: number) => String(n).padStart(3, '0');
    for (let region = 0; region < 10; region += 1) {
      const entries = Array.from({ length: 1000 }, (_, item) => ({
        key: `region-${region}/item-${pad(item)}`,
        value: item,
        valueType: 'NUMBER',
      }));
      const seeded = await call('POST', `/${namespaceId}/bulk/set`, { token: tokens.admin, body: { entries } });
      expect(seeded.status).toBe(200);
    }
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.admin);
    await page.goto(`${consoleUrl()}namespaces/${namespaceId}`);
    await page.getByRole('link', { name: 'region-0/' }).waitFor();
    expect(await rowNames(page)).toEqual(Array.from({ length: 10 }, (_, region) => `region-${region}/`));
    expect(await page.getByRole('navigation', { name: 'Key pages' }).count()).toBe(0);

    await page.getByRole('link', { name: 'region-3/' }).click();
    await page.getByRole('link', { name: 'region-3/item-000' }).waitFor();
    const firstPage = Array.from({ length: 50 }, (_, item) => `item-${pad(item)}`);
    expect(await rowNames(page)).toEqual(firstPage);
    const pager = page.getByRole('navigation', { name: 'Key pages' });
    await pager.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('link', { name: 'region-3/item-050' }).waitFor();
    expect(await rowNames(page)).toEqual(Array.from({ length: 50 }, (_, item) => `item-${pad(item + 50)}`));
    expect(await pager.textContent()).toContain('Page 2');
    // The pager sits below the page's rows: the screenshot shows the folder from its top.
    await page.evaluate('window.scrollTo(0, 0)');
    expect(await checkScreen(page, 'entries-folder')).toEqual([]);
    await pager.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('link', { name: 'region-3/item-000' }).waitFor();

    await page.getByLabel('Keys starting with').fill('item-99');
    await page.getByRole('link', { name: 'region-3/item-990' }).waitFor();
    expect(await rowNames(page)).toEqual(Array.from({ length: 10 }, (_, item) => `item-${990 + item}`));
    await expectNothingLeaked(watched, tokens.admin);
  });

  it('offers a reader no write, and shows the 403 of a save the gateway refuses', async () => {
    const namespaceId = await aNamespace(tokens.admin, 'pricing');
    await putEntry(tokens.admin, namespaceId, 'tax/rate', { value: 0.2, valueType: 'NUMBER' });
    const reader = await tokenFor(aReader({ id: 'console-reader' }));
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, reader);
    await page.goto(`${consoleUrl()}namespaces/${namespaceId}?prefix=tax/`);
    await page.getByRole('link', { name: 'tax/rate' }).waitFor();
    expect(await page.getByRole('link', { name: 'New entry' }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Delete/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'tax/rate' }).click();
    expect(await page.getByLabel('Value (number)').inputValue()).toBe('0.2');
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);

    // The new-entry address typed in: the form says the token does not allow it, and the gateway refuses it.
    await page.goto(`${consoleUrl()}namespaces/${namespaceId}/new?prefix=tax/`);
    await page.getByLabel('Key', { exact: true }).fill('tax/reduced');
    await page.getByLabel('Value', { exact: true }).fill('0.1');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'FORBIDDEN' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Not allowed.*FORBIDDEN/);
    expect(await checkScreen(page, 'entry-forbidden')).toEqual([]);
    expect((await getEntry(tokens.admin, namespaceId, 'tax/reduced')).status).toBe(404);
    await expectNothingLeaked(watched, reader);
  });

  it('opens a key with a dot in its last segment (or a space, or a %) directly by its URL', async () => {
    const namespaceId = await aNamespace(tokens.admin, 'certificates');
    await putEntry(tokens.admin, namespaceId, 'tls/cert.pem', { value: '-----BEGIN CERTIFICATE-----', valueType: 'STRING' });
    await putEntry(tokens.admin, namespaceId, 'odd keys/100% sure.json', { value: { sure: true }, valueType: 'JSON' });
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.admin);
    await page.goto(`${consoleUrl()}namespaces/${namespaceId}/entry/tls/cert.pem`);
    await page.getByRole('heading', { name: 'tls/cert.pem' }).waitFor();
    expect(await page.getByLabel('Value', { exact: true }).inputValue()).toBe('-----BEGIN CERTIFICATE-----');
    await page.goto(`${consoleUrl()}namespaces/${namespaceId}/entry/odd%20keys/100%25%20sure.json`);
    await page.getByRole('heading', { name: 'odd keys/100% sure.json' }).waitFor();
    expect(JSON.parse(await page.getByLabel('Value (JSON)').inputValue())).toEqual({ sure: true });
    await expectNothingLeaked(watched, tokens.admin);
  });

  it('fits the namespace page and the entry editor on a phone (390×844)', async () => {
    const namespaceId = await aNamespace(tokens.admin, 'mobile');
    await putEntry(tokens.admin, namespaceId, 'config/checkout/payment-provider', {
      value: { name: 'acme-pay', timeoutMs: 2500 },
      valueType: 'JSON',
      metadata: { owner: 'team-payments' },
    });
    await putEntry(tokens.admin, namespaceId, 'config/feature-flags', { value: true, valueType: 'BOOLEAN' });
    const watched = await newPage({ viewport: { width: 390, height: 844 } });
    const { page } = watched;
    await signIn(page, tokens.admin);
    await page.goto(`${consoleUrl()}namespaces/${namespaceId}?prefix=config/`);
    await page.getByRole('link', { name: 'config/feature-flags' }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await checkScreen(page, 'entries-phone')).toEqual([]);
    await page.getByRole('link', { name: 'checkout/' }).click();
    await page.getByRole('link', { name: 'config/checkout/payment-provider' }).click();
    await page.getByLabel('Value (JSON)').waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await checkScreen(page, 'entry-edit-phone')).toEqual([]);
    await expectNothingLeaked(watched, tokens.admin);
  });
});
