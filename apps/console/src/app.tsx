import { MantineProvider } from '@mantine/core';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuditPage } from './audit/audit-page';
import { SessionGate } from './auth/session-gate';
import { SessionProvider } from './auth/session-provider';
import { EntryPage, NewEntryPage } from './entries/entry-page';
import { NamespacePage } from './entries/namespace-page';
import { AppLayout } from './layout/app-layout';
import { ScreenErrorBoundary } from './layout/screen-error-boundary';
import { NamespacesPage } from './namespaces/namespaces-page';
import { CONSOLE_BASE, systemColorScheme, theme } from './theme';

/**
 * Mantine's provider without the <style> elements it would inject (its CSS variables and global classes ship in
 * static CSS instead: see global.css), so that the page keeps to style-src 'self'.
 */
export function App() {
  return (
    <MantineProvider
      theme={theme}
      defaultColorScheme="auto"
      colorSchemeManager={systemColorScheme}
      withCssVariables={false}
      withGlobalClasses={false}
    >
      <SessionProvider>
        <BrowserRouter basename={CONSOLE_BASE}>
          <SessionGate>
            <ScreenErrorBoundary>
              <Routes>
                <Route element={<AppLayout />}>
                  <Route index element={<Navigate to="/namespaces" replace />} />
                  <Route path="namespaces" element={<NamespacesPage />} />
                  <Route path="namespaces/:namespaceId" element={<NamespacePage />} />
                  <Route path="namespaces/:namespaceId/new" element={<NewEntryPage />} />
                  <Route path="namespaces/:namespaceId/entry/*" element={<EntryPage />} />
                  <Route path="audit" element={<AuditPage />} />
                  <Route path="*" element={<Navigate to="/namespaces" replace />} />
                </Route>
              </Routes>
            </ScreenErrorBoundary>
          </SessionGate>
        </BrowserRouter>
      </SessionProvider>
    </MantineProvider>
  );
}
