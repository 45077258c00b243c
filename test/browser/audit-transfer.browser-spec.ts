import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { call, createNamespace, uniqueName, useTokens } from '../support/api';
import { checkScreen, expectNothingLeaked, signIn, useConsolePages } from '../support/browser';
import { anAdmin, aPrincipal, aReader } from '../support/principals';
import { eventually } from '../support/workload';

/** The namespaces list narrowed to one application, so that a test sees its own rows only. */
async function showApplication(page: Page, applicationId: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Application' }).fill(applicationId);
  await page.getByRole('row').filter({ hasText: applicationId }).first().waitFor();
}

/** The data rows of the page's table, without its header row. */
const bodyRows = (page: Page) => page.locator('tbody tr');

/** Waits until `check` holds (the screen follows a filter after its debounce and the call); fails if it never does. */
async function until(check: () => Promise<boolean>): Promise<void> {
  expect(await eventually(check, 10_000, 100)).toBe(true);
}

describe('audit, namespace edit, import and export in the console', () => {
  const { newPage } = useConsolePages();
  const tokens = useTokens({
    admin: anAdmin({ id: 'console-admin' }),
    auditor: aPrincipal(['kv-namespace:read', 'kv-audit:read'], { id: 'console-auditor' }),
    reader: aReader({ id: 'console-reader' }),
  });

  const auditCount = async (query: string) =>
    ((await call('GET', `/audit?${query}&limit=1000`, { token: tokens.auditor })).body.items as unknown[]).length;
  const putEntries = (namespaceId: string, entries: Array<{ key: string; value: unknown; valueType: string }>) =>
    call('POST', `/${namespaceId}/bulk/set`, { token: tokens.admin, body: { entries } });
  const valuesOf = async (namespaceId: string, keys: string[]) => {
    const { body } = await call('POST', `/${namespaceId}/bulk/get`, { token: tokens.admin, body: { keys } });
    return Object.fromEntries(
      (body.items as Array<{ keyPath: string; value: unknown; valueType: string }>).map((item) => [
        item.keyPath,
        [item.valueType, item.value],
      ]),
    );
  };

  it('narrows the trail by action and by namespace, pages through it, and shows the chain intact', async () => {
    const ns = await createNamespace(tokens.admin, { applicationId: uniqueName('audited'), name: 'payments' });
    // 55 writes and one read: more than a page (50) of WRITE records in this namespace.
    const entries = Array.from({ length: 55 }, (_, i) => ({ key: `k/${String(i).padStart(2, '0')}`, value: i, valueType: 'NUMBER' }));
    expect((await putEntries(ns.id, entries)).status).toBe(200);
    expect((await call('GET', `/${ns.id}/entries/k/00`, { token: tokens.admin })).status).toBe(200);
    expect(
      await eventually(
        async () =>
          (await auditCount(`namespaceId=${ns.id}&action=WRITE`)) === 55 && (await auditCount(`namespaceId=${ns.id}&action=READ`)) === 1,
        15_000,
      ),
    ).toBe(true);

    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.auditor);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    const chain = page.getByRole('status', { name: 'Chain verification' });
    await chain.getByText(/^Chain intact \(\d+ records\)$/).waitFor();

    // By namespace: only its records (55 writes, a read, its creation: two pages).
    await page.getByRole('textbox', { name: 'Namespace id' }).fill(ns.id);
    await until(async () => (await bodyRows(page).filter({ hasText: ns.id }).count()) === 50);
    expect(await bodyRows(page).count()).toBe(50);
    await page.getByRole('navigation', { name: 'Audit pages' }).getByText('Page 1').waitFor();

    // By action too: READ leaves the one read.
    await page.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'READ', exact: true }).click();
    await until(async () => (await bodyRows(page).count()) === 1);
    expect(await bodyRows(page).first().textContent()).toMatch(/READ.*Succeeded.*console-admin/);
    expect(await page.getByRole('navigation', { name: 'Audit pages' }).count()).toBe(0);

    // WRITE: 55 records, 50 on the first page and 5 on the next, the first page again on going back.
    await page.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'WRITE', exact: true }).click();
    await until(async () => (await bodyRows(page).filter({ hasText: 'WRITE' }).count()) === 50);
    const firstPageTop = await bodyRows(page).first().textContent();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await until(async () => (await bodyRows(page).count()) === 5);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1').waitFor();
    await until(async () => (await bodyRows(page).first().textContent()) === firstPageTop);

    // A half-typed id is no call: the field says what it wants.
    await page.getByRole('textbox', { name: 'Namespace id' }).fill('payments');
    await page.getByText("A namespace's id (a UUID)", { exact: false }).waitFor();
    await page.getByRole('textbox', { name: 'Namespace id' }).fill(ns.id);
    await until(async () => (await bodyRows(page).filter({ hasText: ns.id }).count()) === 50);
    expect(await checkScreen(page, 'audit')).toEqual([]);
    await expectNothingLeaked(watched, tokens.auditor);
  });

  it('fits the audit screen on a phone (390×844)', async () => {
    const watched = await newPage({ viewport: { width: 390, height: 844 } });
    const { page } = watched;
    await signIn(page, tokens.auditor);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page
      .getByRole('status', { name: 'Chain verification' })
      .getByText(/^Chain intact/)
      .waitFor();
    await bodyRows(page).first().waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await checkScreen(page, 'audit-phone')).toEqual([]);
    await expectNothingLeaked(watched, tokens.auditor);
  });

  it('edits a namespace: name, description and default TTL saved and shown', async () => {
    const applicationId = uniqueName('edited');
    const ns = await createNamespace(tokens.admin, { applicationId, name: 'settings', description: 'Before', defaultTtlSeconds: 60 });
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.admin);
    await showApplication(page, applicationId);

    await page.getByRole('button', { name: 'Edit settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit namespace' });
    expect(await dialog.getByLabel('Description').inputValue()).toBe('Before');
    expect(await dialog.getByLabel('Default TTL (seconds)').inputValue()).toBe('60');
    await dialog.getByLabel('Name').fill('app-settings');
    await dialog.getByLabel('Description').fill('Feature flags and limits of the billing app');
    await dialog.getByLabel('Default TTL (seconds)').fill('3600');
    // Only a secret namespace has a version cap.
    expect(await dialog.getByLabel('Version cap').count()).toBe(0);
    expect(await checkScreen(page, 'namespace-edit')).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row').filter({ hasText: applicationId });
    await row.getByText('Feature flags and limits of the billing app').waitFor();
    expect(await row.textContent()).toMatch(/app-settings.*3600 s/);
    const saved = await call('GET', `/namespaces/${ns.id}`, { token: tokens.admin });
    expect(saved.body).toMatchObject({
      name: 'app-settings',
      description: 'Feature flags and limits of the billing app',
      defaultTtlSeconds: 3600,
    });

    // Emptied, the default TTL is none.
    await page.getByRole('button', { name: 'Edit app-settings' }).click();
    await dialog.getByLabel('Default TTL (seconds)').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await until(async () => (await call('GET', `/namespaces/${ns.id}`, { token: tokens.admin })).body.defaultTtlSeconds === null);
    await expectNothingLeaked(watched, tokens.admin);
  });

  it('imports a .env file into a namespace that has some of its keys: the plan, then the writes with progress', async () => {
    const applicationId = uniqueName('imported');
    const ns = await createNamespace(tokens.admin, { applicationId, name: 'env' });
    await putEntries(ns.id, [
      { key: 'DB_HOST', value: 'db.internal', valueType: 'STRING' },
      { key: 'DB_PORT', value: '5432', valueType: 'STRING' },
      { key: 'KEPT', value: 'not in the file', valueType: 'STRING' },
    ]);
    const file = "DB_HOST=db.internal\nDB_PORT=6432\nLOG_LEVEL=debug\nGREETING='hello world'\n";

    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.admin);
    await showApplication(page, applicationId);
    await page.getByRole('button', { name: 'Import env' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import into env' });
    await dialog
      .getByLabel('Choose a .env or JSON file')
      .setInputFiles({ name: '.env', mimeType: 'text/plain', buffer: Buffer.from(file) });

    const plan = dialog.getByRole('table', { name: 'Import plan' });
    await plan.waitFor();
    const counts = dialog.getByRole('group', { name: 'Plan counts' });
    expect(await counts.textContent()).toBe('2 to create1 to change1 unchanged');
    const planRow = (key: string) => plan.getByRole('row').filter({ has: page.getByRole('cell', { name: key, exact: true }) });
    expect(await planRow('DB_HOST').textContent()).toBe('DB_HOSTUnchangedSTRINGdb.internal');
    expect(await planRow('DB_PORT').textContent()).toBe('DB_PORTChangeSTRING5432 → 6432');
    expect(await planRow('LOG_LEVEL').textContent()).toBe('LOG_LEVELCreateSTRINGdebug');
    expect(await planRow('GREETING').textContent()).toBe('GREETINGCreateSTRINGhello world');
    expect(await checkScreen(page, 'import-plan')).toEqual([]);

    await dialog.getByRole('button', { name: 'Apply 3 changes' }).click();
    await dialog.getByText('Done: 3 written, 0 failed, 1 unchanged.').waitFor();
    expect(await dialog.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe('100');
    expect(await valuesOf(ns.id, ['DB_HOST', 'DB_PORT', 'LOG_LEVEL', 'GREETING', 'KEPT'])).toEqual({
      DB_HOST: ['STRING', 'db.internal'],
      DB_PORT: ['STRING', '6432'],
      LOG_LEVEL: ['STRING', 'debug'],
      GREETING: ['STRING', 'hello world'],
      KEPT: ['STRING', 'not in the file'],
    });
    // The unchanged key was not written again.
    expect((await call('GET', `/${ns.id}/entries/DB_HOST`, { token: tokens.admin })).body.version).toBe(1);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await expectNothingLeaked(watched, tokens.admin);
  });

  it('imports a JSON file: nested objects as key paths, values typed; a secret namespace plan shows no value', async () => {
    const applicationId = uniqueName('imported');
    const plain = await createNamespace(tokens.admin, { applicationId, name: 'json' });
    const secret = await createNamespace(tokens.admin, { applicationId, name: 'vault', isSecretNamespace: true });
    await putEntries(secret.id, [{ key: 'db/password', value: 'old-password-1', valueType: 'STRING' }]);
    const file = JSON.stringify({ db: { port: 5432, tls: true, hosts: ['a', 'b'], password: 'new-password-2' }, name: 'billing' });

    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.admin);
    await showApplication(page, applicationId);

    await page.getByRole('button', { name: 'Import json' }).click();
    let dialog = page.getByRole('dialog', { name: 'Import into json' });
    await dialog
      .getByLabel('Choose a .env or JSON file')
      .setInputFiles({ name: 'settings.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await dialog.getByRole('table', { name: 'Import plan' }).waitFor();
    expect(await dialog.getByRole('group', { name: 'Plan counts' }).textContent()).toBe('5 to create0 to change0 unchanged');
    await dialog.getByRole('button', { name: 'Apply 5 changes' }).click();
    await dialog.getByText('Done: 5 written, 0 failed, 0 unchanged.').waitFor();
    expect(await valuesOf(plain.id, ['db/port', 'db/tls', 'db/hosts', 'db/password', 'name'])).toEqual({
      'db/port': ['NUMBER', 5432],
      'db/tls': ['BOOLEAN', true],
      'db/hosts': ['JSON', ['a', 'b']],
      'db/password': ['STRING', 'new-password-2'],
      name: ['STRING', 'billing'],
    });
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Import vault' }).click();
    dialog = page.getByRole('dialog', { name: 'Import into vault' });
    await dialog.getByText('each secret found is recorded as a READ', { exact: false }).waitFor();
    await dialog
      .getByLabel('Choose a .env or JSON file')
      .setInputFiles({ name: 'settings.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    const plan = dialog.getByRole('table', { name: 'Import plan' });
    await plan.waitFor();
    expect(await dialog.getByRole('group', { name: 'Plan counts' }).textContent()).toBe('4 to create1 to change0 unchanged');
    expect(await plan.getByRole('row').filter({ hasText: 'db/password' }).textContent()).toBe('db/passwordChangeSTRINGchanged (hidden)');
    expect(await page.content()).not.toMatch(/old-password-1|new-password-2/);
    await dialog.getByRole('button', { name: 'Apply 5 changes' }).click();
    await dialog.getByText('Done: 5 written, 0 failed, 0 unchanged.').waitFor();
    expect(await page.content()).not.toMatch(/old-password-1|new-password-2/);
    expect((await valuesOf(secret.id, ['db/password']))['db/password']).toEqual(['STRING', 'new-password-2']);
    await expectNothingLeaked(watched, tokens.admin);
  });

  it('exports a namespace as a .env file and as JSON, the file holding its entries', async () => {
    const applicationId = uniqueName('exported');
    const ns = await createNamespace(tokens.admin, { applicationId, name: 'flags' });
    await putEntries(ns.id, [
      { key: 'B_FLAG', value: true, valueType: 'BOOLEAN' },
      { key: 'A_NAME', value: 'two words', valueType: 'STRING' },
      { key: 'C_PORT', value: 8080, valueType: 'NUMBER' },
    ]);
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.admin);
    await showApplication(page, applicationId);
    await page.getByRole('button', { name: 'Export flags' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export flags' });

    const downloaded = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
      return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
    };
    expect(await downloaded()).toEqual({ name: 'flags.env', text: "A_NAME='two words'\nB_FLAG=true\nC_PORT=8080\n" });
    await dialog.getByText('Exported 3 entries.').waitFor();
    await dialog.getByText('JSON', { exact: true }).click();
    const json = await downloaded();
    expect(json.name).toBe('flags.json');
    expect(JSON.parse(json.text)).toEqual({ A_NAME: 'two words', B_FLAG: true, C_PORT: 8080 });
    await expectNothingLeaked(watched, tokens.admin);
  });

  it('offers a read-only token neither Import nor Edit (Export, which only reads, it does)', async () => {
    const applicationId = uniqueName('read-only');
    await createNamespace(tokens.admin, { applicationId, name: 'readable' });
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.reader);
    await showApplication(page, applicationId);
    const row = page.getByRole('row').filter({ hasText: applicationId });
    await row.getByRole('button', { name: 'Export readable' }).waitFor();
    for (const action of ['Import', 'Edit', 'Delete'])
      expect(await row.getByRole('button', { name: `${action} readable` }).count()).toBe(0);
    await expectNothingLeaked(watched, tokens.reader);
  });
});
