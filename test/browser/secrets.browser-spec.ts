import { randomBytes, randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { aPrincipal, anAdmin, aReader } from '../support/principals';
import { call, platformState, tokenFor, useNamespace } from '../support/api';
import { checkScreen, consoleUrl, expectNothingLeaked, type WatchedPage, useConsolePages } from '../support/browser';
import { eventually } from '../support/workload';

const keyPathOf = (key: string) => key.split('/').map(encodeURIComponent).join('/');
const secretUrl = (namespaceId: string, key: string) => `${consoleUrl()}namespaces/${namespaceId}/entry/${keyPathOf(key)}`;
/** A value to plant and then look for where no value may be. */
const planted = (label: string) => `planted-${label}-${randomBytes(6).toString('hex')}`;
const MASK = '••••••••••••';

interface ConsolePage extends WatchedPage {
  /** Every console message of the page (the value must be in none). */
  logs: string[];
}

/** What every test checks at the end: no CSP violation, and no planted value in a URL, the storage, the title or a log. */
async function expectNoValueLeaked(watched: ConsolePage, values: string[]): Promise<void> {
  expect(await watched.cspViolations()).toEqual([]);
  const { page } = watched;
  const places = {
    urls: watched.requestedUrls.join('\n'),
    sessionStorage: await page.evaluate<string>("Object.values(sessionStorage).join('\\n')"),
    localStorage: await page.evaluate<string>("Object.values(localStorage).join('\\n')"),
    title: await page.title(),
    logs: watched.logs.join('\n'),
  };
  for (const value of values)
    for (const [place, text] of Object.entries(places)) expect([place, text.includes(value)]).toEqual([place, false]);
  expect(await page.evaluate<number>('localStorage.length')).toBe(0);
}

const valueBox = (scope: Page | Locator, name = 'Value') => scope.getByRole('group', { name, exact: true });

async function putSecret(namespaceId: string, key: string, value: string, token: string): Promise<void> {
  const response = await call('PUT', `/${namespaceId}/entries/${keyPathOf(key)}`, { token, body: { value, valueType: 'STRING' } });
  expect(response.status).toBe(201);
}

async function readSecret(namespaceId: string, key: string, token: string): Promise<unknown> {
  return (await call('GET', `/${namespaceId}/entries/${keyPathOf(key)}`, { token })).body.value;
}

describe('secrets in the web console', () => {
  const { newPage } = useConsolePages();
  // Fixed names, so that the screenshots show the same screen every run.
  const namespace = useNamespace({ applicationId: 'payments', name: 'provider-keys', isSecretNamespace: true, maxSecretVersions: 10 });
  // A secret every test may open (the others make their own).
  const shared = { key: 'stripe/api-key', value: planted('shared') };
  beforeAll(() => putSecret(namespace.id, shared.key, shared.value, namespace.admin));

  /**
   * Signs `token` in. With `clock`, the page runs on Playwright's fake clock (time flows, and a test jumps it forward),
   * installed before the page loads.
   */
  async function signedIn(
    token: string,
    options: { clock?: boolean; clipboard?: boolean; viewport?: { width: number; height: number } } = {},
  ): Promise<ConsolePage> {
    const logs: string[] = [];
    const opened = await newPage({
      viewport: options.viewport,
      beforeLoad: async ({ page, context }) => {
        page.on('console', (message) => logs.push(message.text()));
        if (options.clipboard)
          await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: platformState().gatewayUrl });
        if (options.clock) await page.clock.install();
      },
    });
    const watched: ConsolePage = { ...opened, logs };
    const { page } = watched;
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Namespaces' }).waitFor();
    return watched;
  }

  /** Signs `token` in and opens the secret by its address. */
  async function openSecret(token: string, key: string, options: Parameters<typeof signedIn>[1] = {}): Promise<ConsolePage> {
    const watched = await signedIn(token, options);
    const { page } = watched;
    await page.goto(secretUrl(namespace.id, key));
    await secretOpened(page, key);
    return watched;
  }

  async function secretOpened(page: Page, key: string): Promise<void> {
    await page.getByRole('heading', { name: key }).waitFor();
    await page.getByText('Version', { exact: true }).waitFor();
  }

  const auditOf = async (query: string) =>
    (await call('GET', `/audit?namespaceId=${namespace.id}&limit=200&${query}`, { token: namespace.admin })).body.items as Array<{
      action: string;
      keyPath: string | null;
      requestId: string;
      success: boolean;
    }>;

  /** The user's audit trail once it holds every call made so far: a later call's record in means theirs are too. */
  async function settledTrailOf(userId: string, token: string) {
    const marker = randomUUID();
    await call('GET', `/${namespace.id}/entries?values=false&prefix=none/`, { token, headers: { 'x-request-id': marker } });
    const trail = () => auditOf(`userId=${userId}`);
    expect(await eventually(async () => (await trail()).some((record) => record.requestId === marker), 15_000)).toBe(true);
    return (await trail()).filter((record) => record.requestId !== marker);
  }

  it('opens a secret masked, reading nothing (one LIST); Reveal is one READ, hidden after 30 s and when the tab is hidden', async () => {
    const key = 'stripe/webhook secret';
    const value = planted('reveal');
    await putSecret(namespace.id, key, value, namespace.admin);
    const watched = await openSecret(await tokenFor(aReader({ id: 'reveal-viewer' })), key, { clock: true });
    const { page } = watched;
    expect(await valueBox(page).textContent()).toBe(MASK);
    expect(await page.content()).not.toContain(value);

    // The screen's own listing is in the trail as one LIST and no READ.
    const opened = await settledTrailOf('reveal-viewer', await tokenFor(aReader({ id: 'reveal-viewer' })));
    expect(opened.filter((record) => record.action === 'LIST')).toEqual([expect.objectContaining({ success: true, keyPath: null })]);
    expect(opened.filter((record) => record.action === 'READ')).toEqual([]);

    await page.getByRole('button', { name: 'Reveal' }).click();
    await page.getByText('Shown for 30 more s', { exact: false }).waitFor();
    expect(await valueBox(page).textContent()).toBe(value);
    const reads = async () => (await auditOf('userId=reveal-viewer')).filter((record) => record.action === 'READ');
    expect(await eventually(async () => (await reads()).length > 0, 15_000)).toBe(true);
    expect(await reads()).toEqual([expect.objectContaining({ keyPath: key, success: true })]);

    // The countdown follows the clock; at 30 s the value is masked again.
    await page.clock.fastForward(10_000);
    await page.getByText(/Shown for (19|20) more s/).waitFor();
    expect(await valueBox(page).textContent()).toBe(value);
    await page.clock.fastForward(21_000);
    await page.getByRole('button', { name: 'Reveal' }).waitFor();
    expect(await valueBox(page).textContent()).toBe(MASK);

    // Hidden at once when the tab is hidden (headless Chromium never hides a tab: the page is told so as a browser would).
    await page.getByRole('button', { name: 'Reveal' }).click();
    await page.getByRole('button', { name: 'Hide' }).waitFor();
    expect(await valueBox(page).textContent()).toBe(value);
    await page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));`);
    await page.getByRole('button', { name: 'Reveal' }).waitFor();
    expect(await valueBox(page).textContent()).toBe(MASK);
    expect(await page.content()).not.toContain(value);
    await expectNoValueLeaked(watched, [value]);
  });

  it('copies the value to the clipboard without showing it', async () => {
    const { key, value } = shared;
    const watched = await openSecret(await tokenFor(aReader({ id: 'secret-viewer' })), key, { clipboard: true });
    const { page } = watched;
    expect(await checkScreen(page, 'secret')).toEqual([]);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(value);
    expect(await valueBox(page).textContent()).toBe(MASK);
    expect(await page.content()).not.toContain(value);
    await expectNoValueLeaked(watched, [value]);
  });

  it('creates a secret with New entry in a masked field; over a key that exists, reads nothing and shows its version', async () => {
    const creator = anAdmin({ id: 'secret-creator' });
    const token = await tokenFor(creator);
    const created = { key: 'braintree/private-key', value: planted('created') };
    // Planted through the API: the console must neither read nor show it.
    const existing = { key: 'braintree/merchant-key', value: planted('existing') };
    const mine = planted('mine');
    await putSecret(namespace.id, existing.key, existing.value, namespace.admin);
    const watched = await signedIn(token);
    const { page } = watched;
    const newEntry = async (key: string, value: string) => {
      await page.goto(`${consoleUrl()}namespaces/${namespace.id}?prefix=braintree/`);
      await page.getByRole('link', { name: 'New entry' }).click();
      await page.getByLabel('Key', { exact: true }).fill(key);
      const field = page.getByLabel('Value', { exact: true });
      // Masked, and no password manager asked to keep it.
      expect([await field.getAttribute('type'), await field.getAttribute('autocomplete')]).toEqual(['password', 'off']);
      await field.fill(value);
      await page.getByRole('button', { name: 'Create', exact: true }).click();
    };

    await newEntry(created.key, created.value);
    await secretOpened(page, created.key);
    expect(await valueBox(page).textContent()).toBe(MASK);
    expect(await readSecret(namespace.id, created.key, namespace.admin)).toBe(created.value);

    // A key that exists: its version, both values masked, to overwrite or cancel.
    await newEntry(existing.key, mine);
    const conflict = page.getByRole('dialog', { name: 'Changed by someone else' });
    await conflict.getByText('it is now at version 1').waitFor();
    expect(await conflict.getByRole('group', { name: 'Yours' }).textContent()).toContain(MASK);
    expect(await conflict.getByRole('group', { name: 'Current: version 1' }).textContent()).toContain(MASK);
    expect(await conflict.getByRole('button', { name: 'Take theirs' }).count()).toBe(0);
    expect(await conflict.textContent()).not.toContain(mine);
    expect(await page.content()).not.toContain(existing.value);
    await conflict.evaluate((dialog: { getAnimations(options: { subtree: boolean }): Array<{ finished: Promise<unknown> }> }) =>
      Promise.all(dialog.getAnimations({ subtree: true }).map((animation) => animation.finished)),
    );
    expect(await checkScreen(page, 'secret-conflict')).toEqual([]);
    await conflict.getByRole('button', { name: 'Cancel' }).click();
    await conflict.waitFor({ state: 'detached' });
    expect(await readSecret(namespace.id, existing.key, namespace.admin)).toBe(existing.value);

    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await conflict.getByRole('button', { name: 'Overwrite with yours' }).click();
    await secretOpened(page, existing.key);
    expect(await page.content()).not.toContain(existing.value);
    expect(await call('GET', `/${namespace.id}/entries/${keyPathOf(existing.key)}`, { token: namespace.admin })).toMatchObject({
      body: { value: mine, version: 2 },
    });

    // The console read no value: no READ in its user's trail, the existing key's included.
    const trail = await settledTrailOf(creator.id, token);
    const written = trail.filter((record) => record.action === 'WRITE' && record.success).map((record) => record.keyPath);
    expect(written.sort()).toEqual([existing.key, created.key]);
    expect(trail.filter((record) => record.action === 'READ')).toEqual([]);
    await expectNoValueLeaked(watched, [created.value, existing.value, mine]);
    await expectNothingLeaked(watched, token);
  });

  it('rotates to a given value, then to a generated one shown once, and lists who, why and when', async () => {
    const key = 'adyen/hmac-key';
    const first = planted('first');
    const given = planted('given');
    await putSecret(namespace.id, key, first, namespace.admin);
    const watched = await openSecret(await tokenFor(anAdmin({ id: 'secret-admin' })), key, { clipboard: true });
    const { page } = watched;

    await page.getByRole('button', { name: 'Rotate' }).click();
    let dialog = page.getByRole('dialog', { name: 'Rotate the secret' });
    await dialog.getByText('Given', { exact: true }).click();
    await dialog.getByLabel('Value', { exact: true }).fill(given);
    await dialog.getByLabel('Reason').fill('new merchant account');
    await dialog.getByRole('button', { name: 'Rotate' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Rotated: version 2 is current.').waitFor();
    expect(await readSecret(namespace.id, key, namespace.admin)).toBe(given);

    await page.getByRole('button', { name: 'Rotate' }).click();
    dialog = page.getByRole('dialog', { name: 'Rotate the secret' });
    await dialog.getByLabel('Length').fill('40');
    await dialog.getByLabel('Alphabet').click();
    await page.getByRole('option', { name: 'base64url' }).click();
    await dialog.getByLabel('Reason').fill('quarterly');
    await dialog.getByRole('button', { name: 'Rotate' }).click();
    dialog = page.getByRole('dialog', { name: 'The new value, shown once' });
    const generated = (await valueBox(dialog, 'Generated value').textContent()) ?? '';
    expect(generated).toMatch(/^[A-Za-z0-9_-]{40}$/);
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(generated);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Gone for good: nowhere on the page once the dialog is closed.
    expect(await page.content()).not.toContain(generated);
    await page.getByText('Rotated: version 3 is current.').waitFor();
    expect(await readSecret(namespace.id, key, namespace.admin)).toBe(generated);

    await page.getByRole('tab', { name: 'History' }).click();
    const rows = page.getByRole('table', { name: 'Versions' }).getByRole('row');
    await rows.nth(3).waitFor();
    const texts = (await rows.allTextContents()).slice(1);
    expect(texts).toEqual([
      expect.stringMatching(/^3 \(current\)ROTATIONsecret-adminquarterly\d/),
      expect.stringMatching(/^2ROTATIONsecret-adminnew merchant account\d.*ReadRoll back/),
      expect.stringMatching(/^1CREATEe2e-user—\d.*ReadRoll back/),
    ]);
    expect(await checkScreen(page, 'secret-history')).toEqual([]);
    await expectNoValueLeaked(watched, [first, given, generated]);
  });

  it('rotates to a value of several lines read from a file (a PEM key), kept byte for byte and never shown', async () => {
    const key = 'adyen/tls-key';
    await putSecret(namespace.id, key, planted('before-pem'), namespace.admin);
    // A masked field is one line: a browser drops the line breaks of what is typed or pasted into it.
    const pem = `-----BEGIN PRIVATE KEY-----\n${planted('pem-a')}\n${planted('pem-b')}\n-----END PRIVATE KEY-----\n`;
    const watched = await openSecret(await tokenFor(anAdmin({ id: 'secret-admin' })), key);
    const { page } = watched;
    await page.getByRole('button', { name: 'Rotate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the secret' });
    await dialog.getByText('Given', { exact: true }).click();
    await dialog
      .locator('input[type="file"]')
      .setInputFiles({ name: 'tls.key', mimeType: 'application/x-pem-file', buffer: Buffer.from(pem) });
    const read = dialog.getByRole('status').filter({ hasText: 'Read from tls.key' });
    expect(await read.textContent()).toContain(`${pem.length} characters on 4 lines, never shown`);
    await dialog.getByLabel('Reason').fill('certificate renewed');
    await dialog.getByRole('button', { name: 'Rotate' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Rotated: version 2 is current.').waitFor();
    expect(await readSecret(namespace.id, key, namespace.admin)).toBe(pem);
    const secretLines = pem.split('\n').slice(1, 3);
    for (const line of secretLines) expect(await page.content()).not.toContain(line);
    await expectNoValueLeaked(watched, secretLines);
  });

  it('reads an old version with kv-secret:versions (and offers it not without), and rolls back with a reason', async () => {
    const key = 'db/password';
    const old = planted('old');
    const current = planted('current');
    await putSecret(namespace.id, key, old, namespace.admin);
    expect(
      (await call('POST', `/${namespace.id}/entries/${key}/rotate`, { token: namespace.admin, body: { value: current } })).status,
    ).toBe(200);

    const operator = aPrincipal(['kv-namespace:read', 'kv-entry:read', 'kv-secret:versions', 'kv-secret:rotate'], {
      id: 'secret-operator',
    });
    const watched = await openSecret(await tokenFor(operator), key);
    const { page } = watched;
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('button', { name: 'Read version 1' }).click();
    const versionDialog = page.getByRole('dialog', { name: 'Version 1' });
    expect(await valueBox(versionDialog, 'Value of version 1').textContent()).toBe(MASK);
    await versionDialog.getByRole('button', { name: 'Reveal' }).click();
    await versionDialog.getByRole('button', { name: 'Hide' }).waitFor();
    expect(await valueBox(versionDialog, 'Value of version 1').textContent()).toBe(old);
    await versionDialog.getByRole('button', { name: 'Close' }).click();
    await versionDialog.waitFor({ state: 'detached' });
    // The current version is read with Reveal, not as an old one.
    expect(await page.getByRole('button', { name: 'Read version 2' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    const confirm = page.getByRole('dialog', { name: 'Roll back to version 1' });
    await confirm.getByRole('button', { name: 'Roll back' }).click();
    await confirm.getByText('Say why the value goes back').waitFor();
    await confirm.getByLabel('Reason').fill('the new password broke the app');
    await confirm.getByRole('button', { name: 'Roll back' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText('Rolled back: version 3 has the value of version 1.').waitFor();
    const newest = page.getByRole('table', { name: 'Versions' }).getByRole('row').nth(1);
    await newest.filter({ hasText: 'ROLLBACK to 1' }).waitFor();
    expect(await newest.textContent()).toMatch(/^3 \(current\)ROLLBACK to 1secret-operatorthe new password broke the app/);

    await page.getByRole('tab', { name: 'Value' }).click();
    await page.getByRole('button', { name: 'Reveal' }).click();
    await page.getByRole('button', { name: 'Hide' }).waitFor();
    expect(await valueBox(page).textContent()).toBe(old);
    expect(await readSecret(namespace.id, key, namespace.admin)).toBe(old);
    await expectNoValueLeaked(watched, [old, current]);

    // Without kv-secret:versions: rollback offered, an old version's value not.
    const rotator = aPrincipal(['kv-namespace:read', 'kv-entry:read', 'kv-secret:rotate'], { id: 'secret-rotator' });
    const other = await openSecret(await tokenFor(rotator), key);
    await other.page.getByRole('tab', { name: 'History' }).click();
    await other.page.getByRole('button', { name: 'Roll back to version 1' }).waitFor();
    expect(await other.page.getByRole('button', { name: /^Read version/ }).count()).toBe(0);
    await expectNoValueLeaked(other, [old, current]);
  });

  it('offers a reader no rotation or rollback (a direct call is 403 FORBIDDEN), and shows an API error with its code', async () => {
    const key = 'paypal/client-secret';
    const value = planted('reader');
    await putSecret(namespace.id, key, value, namespace.admin);
    const readerToken = await tokenFor(aReader({ id: 'secret-reader' }));
    const watched = await openSecret(readerToken, key);
    const { page } = watched;
    await page.getByRole('button', { name: 'Reveal' }).waitFor();
    expect(await page.getByRole('button', { name: 'Rotate' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('table', { name: 'Versions' }).getByRole('row').nth(1).waitFor();
    expect(await page.getByRole('button', { name: /^(Roll back|Read version)/ }).count()).toBe(0);

    const refused = await call('POST', `/${namespace.id}/entries/${key}/rotate`, { token: readerToken, body: {} });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('kv-secret:rotate') });

    // The secret goes away underneath: Reveal shows the gateway's message and code.
    expect((await call('DELETE', `/${namespace.id}/entries/${key}`, { token: namespace.admin })).status).toBe(204);
    await page.getByRole('tab', { name: 'Value' }).click();
    await page.getByRole('button', { name: 'Reveal' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Not found.*Code ENTRY_NOT_FOUND/);
    expect(await valueBox(page).textContent()).toBe(MASK);

    // A token that may list keys only sees the secret's state, and is offered no value and no history.
    const lister = await openSecret(await tokenFor(aPrincipal(['kv-namespace:read'], { id: 'secret-lister' })), shared.key);
    await lister.page.getByText('Your token does not allow reading this value (kv-entry:read).').waitFor();
    expect(await lister.page.getByRole('button', { name: /^(Reveal|Copy|Rotate)$/ }).count()).toBe(0);
    await expectNoValueLeaked(watched, [value]);
    await expectNoValueLeaked(lister, [shared.value]);
  });

  it('fits the secret and its history on a phone (390×844)', async () => {
    const watched = await openSecret(await tokenFor(anAdmin({ id: 'secret-admin' })), shared.key, {
      viewport: { width: 390, height: 844 },
    });
    const { page } = watched;
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await checkScreen(page, 'secret-phone')).toEqual([]);
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('table', { name: 'Versions' }).getByRole('row').nth(1).waitFor();
    // Nothing wider than the screen but the table's own scroll container.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await checkScreen(page, 'secret-history-phone')).toEqual([]);
    await expectNoValueLeaked(watched, [shared.value]);
  });
});
