import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { call, createNamespace, uniqueName, useTokens } from '../support/api';
import { consoleUrl, expectNothingLeaked, signIn, useConsolePages } from '../support/browser';
import { anAdmin } from '../support/principals';
import { eventually } from '../support/workload';

/** The accessible name of the focused element, as a person hears it (its label, without a required field's "*"). */
const FOCUSED_NAME = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] ? el.labels[0].textContent : '') || el.textContent || '';
  return label.replace(/\\s*\\*\\s*$/, '').trim();
})()`;

/** Moves the focus with Tab alone until it is on the control named `name` (it may be there already). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let presses = 0; presses <= 60; presses += 1) {
    if ((await page.evaluate<string>(FOCUSED_NAME)) === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`no control named "${name}" was reached with Tab`);
}

/** Answers the page's calls for the namespaces list with `status` and `body`, as the gateway (or a proxy) might. */
async function answerNamespacesList(page: Page, status: number, body: object): Promise<void> {
  await page.route(/\/api\/v1\/kv\/namespaces(\?|$)/, (route) =>
    route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) }),
  );
}

describe('whole journeys in the web console', () => {
  const { newPage } = useConsolePages();
  const tokens = useTokens({ admin: anAdmin({ id: 'console-admin' }) });

  it('signs in, creates a namespace and an entry in it, and signs out, with the keyboard alone', async () => {
    const applicationId = uniqueName('keyboard');
    const watched = await newPage();
    const { page } = watched;
    const { keyboard } = page;
    await page.getByLabel('Access token').waitFor();

    await tabTo(page, 'Access token');
    await keyboard.type(tokens.admin);
    await keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Namespaces' }).waitFor();

    await tabTo(page, 'Create');
    await keyboard.press('Enter');
    const create = page.getByRole('dialog', { name: 'Create a namespace' });
    await create.waitFor();
    await tabTo(page, 'Application');
    await keyboard.type(applicationId);
    await tabTo(page, 'Name');
    await keyboard.type('by-keys');
    await tabTo(page, 'Create');
    await keyboard.press('Enter');
    await create.waitFor({ state: 'detached' });

    // Only this run's namespace in the list, then into it.
    await tabTo(page, 'Application');
    await keyboard.type(applicationId);
    await page.getByRole('row').filter({ hasText: applicationId }).waitFor();
    await tabTo(page, 'by-keys');
    await keyboard.press('Enter');
    await page.getByRole('heading', { name: 'by-keys' }).waitFor();

    await tabTo(page, 'New entry');
    await keyboard.press('Enter');
    await page.getByLabel('Key', { exact: true }).waitFor();
    await tabTo(page, 'Key');
    await keyboard.type('greeting');
    await tabTo(page, 'Value');
    await keyboard.type('typed, not clicked');
    await tabTo(page, 'Create');
    await keyboard.press('Enter');
    await page.getByRole('heading', { name: 'greeting', exact: true }).waitFor();

    const namespaces = await call('GET', `/namespaces?applicationId=${applicationId}`, { token: tokens.admin });
    const [namespace] = namespaces.body.items as Array<{ id: string; name: string }>;
    expect(namespace).toMatchObject({ name: 'by-keys' });
    const entry = await call('GET', `/${namespace!.id}/entries/greeting`, { token: tokens.admin });
    expect(entry.body).toMatchObject({ valueType: 'STRING', value: 'typed, not clicked', version: 1 });

    await tabTo(page, 'Sign out');
    await keyboard.press('Enter');
    await page.getByLabel('Access token').waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await expectNothingLeaked(watched, tokens.admin);
  });

  it("shows a secret's reveal in the audit screen as its one READ, browsing the secret namespace as LISTs only", async () => {
    const namespace = await createNamespace(tokens.admin, {
      applicationId: uniqueName('revealed'),
      name: 'vault',
      isSecretNamespace: true,
    });
    const value = `planted-${randomBytes(8).toString('hex')}`;
    expect(
      (await call('PUT', `/${namespace.id}/entries/api/token`, { token: tokens.admin, body: { value, valueType: 'STRING' } })).status,
    ).toBe(201);
    const watched = await newPage();
    const { page } = watched;
    await signIn(page, tokens.admin);
    await page.goto(`${consoleUrl()}namespaces/${namespace.id}`);
    await page.getByRole('link', { name: 'api/' }).click();
    await page.getByRole('link', { name: 'api/token' }).click();
    await page.getByRole('button', { name: 'Reveal' }).click();
    await page.getByText(value, { exact: true }).waitFor();

    const readsOf = async () =>
      ((await call('GET', `/audit?namespaceId=${namespace.id}&action=READ`, { token: tokens.admin })).body.items as unknown[]).length;
    expect(await eventually(async () => (await readsOf()) === 1, 15_000)).toBe(true);

    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await page.getByRole('textbox', { name: 'Namespace id' }).fill(namespace.id);
    const rows = page.locator('tbody tr');
    // The filter applies once typing settles: until then the rows are the whole trail's.
    const onlyThisNamespace = async () => {
      const texts = await rows.allTextContents();
      return texts.length > 0 && texts.every((row) => row.includes(namespace.id));
    };
    expect(await eventually(onlyThisNamespace, 15_000)).toBe(true);
    const actions = await rows.locator('td').allTextContents();
    // By the action's own cell: NAMESPACE_READ (opening the namespace) holds READ too, and reads no value.
    const withAction = (action: string) => rows.filter({ has: page.getByRole('cell', { name: action, exact: true }) });
    expect((await withAction('READ').allTextContents()).map((row) => row.includes('api/token'))).toEqual([true]);
    // The folder, the key's own listing: LISTs, each reading no value.
    expect(await withAction('LIST').count()).toBeGreaterThanOrEqual(2);
    expect(actions.join(' ')).not.toContain(value);
    expect(await page.content()).not.toContain(value);
    await expectNothingLeaked(watched, tokens.admin);
  });

  it('shows a service that is away as such, with the gateway’s message and code, never a blank page', async () => {
    const watched = await newPage();
    const { page } = watched;
    // The gateway's own 503s are the end-to-end suite's (nothing-lost); here the page is handed one, as the gateway
    // answers while a service's broker connection is down.
    await answerNamespacesList(page, 503, {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'kv-entry unavailable: message broker unreachable',
      code: 'SERVICE_UNAVAILABLE',
    });
    await signIn(page, tokens.admin);
    const alert = page.getByRole('alert').filter({ hasText: 'Service unavailable' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/kv-entry unavailable: message broker unreachable.*SERVICE_UNAVAILABLE/);
    await expectNothingLeaked(watched, tokens.admin);
  });

  it('shows a screen that fails to render (here on an answer not of the expected shape) with its error and a way back', async () => {
    const watched = await newPage();
    const { page } = watched;
    // As a proxy in front of the gateway might answer: a namespace without its fields.
    await answerNamespacesList(page, 200, { items: [{ id: 'not-a-namespace' }], nextCursor: null });
    await page.getByLabel('Access token').fill(tokens.admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'This screen failed' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/Something went wrong.*toLowerCase/);
    expect(await page.getByRole('link', { name: 'Back to namespaces' }).isVisible()).toBe(true);
    await expectNothingLeaked(watched, tokens.admin);
  });
});
