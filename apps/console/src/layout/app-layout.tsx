import { Button, Group, NavLink, Text, Title } from '@mantine/core';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { mayDoSomewhere, type SessionPrincipal } from '../auth/check-token';
import { useSession } from '../auth/session-provider';
import classes from './app-layout.module.css';

const SECTIONS = [
  { to: '/namespaces', label: 'Namespaces', offered: (principal: SessionPrincipal) => mayDoSomewhere(principal, 'kv-namespace:read') },
  { to: '/audit', label: 'Audit', offered: (principal: SessionPrincipal) => mayDoSomewhere(principal, 'kv-audit:read') },
] as const;

export function AppLayout() {
  const { principal, signOut } = useSession();
  const { pathname } = useLocation();
  return (
    <div className={classes.shell}>
      <header className={classes.header}>
        <Title order={1} size="h4">
          KV Service
        </Title>
        <Group gap="sm" wrap="nowrap">
          <Text size="sm" truncate="end" maw={200}>
            Signed in as <strong>{principal.userId}</strong>
          </Text>
          <Button variant="default" size="xs" onClick={() => signOut()}>
            Sign out
          </Button>
        </Group>
      </header>
      <nav className={classes.nav} aria-label="Sections">
        {SECTIONS.filter((section) => section.offered(principal)).map(({ to, label }) => (
          <NavLink key={to} component={RouterLink} to={to} label={label} active={pathname.startsWith(to)} />
        ))}
      </nav>
      <main className={classes.main}>
        <Outlet />
      </main>
    </div>
  );
}
