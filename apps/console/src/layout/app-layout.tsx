import { Button, Group, NavLink, Text, Title } from '@mantine/core';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session-provider';
import classes from './app-layout.module.css';

const SECTIONS = [
  { to: '/namespaces', label: 'Namespaces' },
  { to: '/audit', label: 'Audit' },
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
            Signed in as <strong>{principal.id}</strong>
          </Text>
          <Button variant="default" size="xs" onClick={() => signOut()}>
            Sign out
          </Button>
        </Group>
      </header>
      <nav className={classes.nav} aria-label="Sections">
        {SECTIONS.map(({ to, label }) => (
          <NavLink key={to} component={RouterLink} to={to} label={label} active={pathname.startsWith(to)} />
        ))}
      </nav>
      <main className={classes.main}>
        <Outlet />
      </main>
    </div>
  );
}
