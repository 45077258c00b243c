import { aPrincipal, anAdmin, aReader, signedToken } from '../support/principals';
import { platformState, tokenFor, uniqueName } from '../support/api';
import { checkScreen, consoleUrl, expectNothingLeaked, signIn, useConsolePages } from '../support/browser';

describe('the web console in a browser', () => {
  const { newPage } = useConsolePages();

  it('signs in with a token (by keyboard), keeps it in sessionStorage only, and forgets it on signing out', async () => {
    const token = await tokenFor(anAdmin({ id: 'console-admin' }));
    const watched = await newPage();
    const { page } = watched;
    await page.getByLabel('Access token').waitFor();
    expect(await checkScreen(page, 'sign-in')).toEqual([]);

    // With the keyboard alone: the field comes first, and Enter signs in.
    await page.keyboard.press('Tab');
    expect(await page.getByLabel('Access token').evaluate((field) => field === field.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Namespaces' }).waitFor();
    expect(await page.getByRole('banner').textContent()).toContain('console-admin');
    expect(await page.evaluate<string[]>('Object.values(sessionStorage)')).toEqual([token]);
    await expectNothingLeaked(watched, token);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
  });

  it('creates a namespace, lists it, and deletes it once its name is typed', async () => {
    const token = await tokenFor(anAdmin({ id: 'console-admin' }));
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, token);
    const applicationId = uniqueName('billing');

    await page.getByRole('button', { name: 'Create' }).click();
    const create = page.getByRole('dialog', { name: 'Create a namespace' });
    await create.getByLabel('Application').fill(applicationId);
    await create.getByLabel('Name').fill('payments');
    await create.getByText('Secret', { exact: true }).click();
    await create.getByLabel('Description').fill('Keys of the payment provider');
    await create.getByLabel('Default TTL (seconds)').fill('86400');
    await create.getByLabel('Version cap').fill('5');
    expect(await checkScreen(page, 'create-namespace')).toEqual([]);
    await create.getByRole('button', { name: 'Create' }).click();
    await create.waitFor({ state: 'detached' });

    const row = page.getByRole('row').filter({ hasText: applicationId });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/payments.*Secret.*86400 s.*5/);
    expect(await checkScreen(page, 'namespaces')).toEqual([]);

    await row.getByRole('button', { name: 'Delete payments' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete namespace' });
    const deleteButton = confirm.getByRole('button', { name: 'Delete' });
    await confirm.getByLabel("Type the namespace's name to confirm").fill('payment');
    expect(await deleteButton.isDisabled()).toBe(true);
    await confirm.getByLabel("Type the namespace's name to confirm").fill('payments');
    // Checked once enabled and its colour transition has ended: axe measured contrast mid-transition (CI of e3c18e9).
    await deleteButton.evaluate((button: { getAnimations(options: { subtree: boolean }): Array<{ finished: Promise<unknown> }> }) =>
      Promise.all(button.getAnimations({ subtree: true }).map((animation) => animation.finished)),
    );
    expect(await deleteButton.isEnabled()).toBe(true);
    expect(await checkScreen(page, 'delete-namespace')).toEqual([]);
    await deleteButton.click();
    await confirm.waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    await expectNothingLeaked(watched, token);
  });

  it('brings the sign-in back by itself, saying why, once the token has expired', async () => {
    const token = await signedToken(anAdmin({ id: 'short-lived' }), platformState().jwtSecret, 4);
    const expiresAt = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000;
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, token);
    // Nothing is clicked: the namespaces screen makes no call, and the sign-in comes back at the token's `exp`.
    await page.getByText('Your token has expired. Sign in with a new one.').waitFor({ timeout: expiresAt - Date.now() + 5000 });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 1000);
    expect(await page.getByLabel('Access token').isVisible()).toBe(true);
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await expectNothingLeaked(watched, token);
  });

  it('keeps the token when its check after a reload meets a 503: the error with its code, and a retry', async () => {
    const token = await tokenFor(anAdmin({ id: 'console-admin' }));
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, token);
    const whoami = /\/api\/v1\/kv\/whoami$/;
    await page.route(whoami, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'gateway draining', code: 'SERVICE_UNAVAILABLE' }),
      }),
    );
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'Service unavailable' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/gateway draining.*SERVICE_UNAVAILABLE/);
    expect(await page.evaluate<string[]>('Object.values(sessionStorage)')).toEqual([token]);

    await page.unroute(whoami);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Namespaces' }).waitFor();
    await expectNothingLeaked(watched, token);
  });

  it('offers a reader no Create nor Audit, and says so clearly when the gateway refuses a call (403)', async () => {
    const token = await tokenFor(aReader({ id: 'console-reader' }));
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, token);
    expect(await page.getByRole('button', { name: 'Create' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit' }).count()).toBe(0);

    await page.goto(`${consoleUrl()}audit`);
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Not allowed.*FORBIDDEN/);
    expect(await checkScreen(page, 'forbidden')).toEqual([]);
    await expectNothingLeaked(watched, token);
  });

  it('shows the audit trail', async () => {
    const token = await tokenFor(aPrincipal(['kv-namespace:read', 'kv-audit:read'], { id: 'console-auditor' }));
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, token);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    // Signing in listed namespaces: the trail has that call, by this principal.
    await page.getByRole('row').filter({ hasText: 'console-auditor' }).first().waitFor();
    // Its axe check and screenshot ('audit') are audit-transfer.browser-spec.ts's, with its filters in use.
    await expectNothingLeaked(watched, token);
  });

  it('fits the namespaces screen on a phone (390×844)', async () => {
    const token = await tokenFor(anAdmin({ id: 'console-admin' }));
    const watched = await newPage({ viewport: { width: 390, height: 844 } });
    const { page } = watched;
    await signIn(page, token);
    await page.getByRole('button', { name: 'Create' }).waitFor();
    // Nothing wider than the screen but the table's own scroll container.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await checkScreen(page, 'namespaces-phone')).toEqual([]);
    await expectNothingLeaked(watched, token);
  });
});
