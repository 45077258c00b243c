import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from './platform/repo-root';

interface NestProject {
  type: 'application' | 'library';
  root: string;
  sourceRoot: string;
  entryFile: string;
  compilerOptions?: { tsConfigPath?: string };
}

const root = repoRoot();
const nestCli = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')) as { projects: Record<string, NestProject> };
const deployables = readdirSync(join(root, 'apps')).filter((app) => existsSync(join(root, 'apps', app, 'src', 'main.ts')));

/** nest-cli.json describes the real projects, so that `nest build <app>` and `nest start <app>` work. */
describe('nest-cli.json', () => {
  it('names every deployable app, with its entry file and its own tsconfig', () => {
    const applications = Object.entries(nestCli.projects).filter(([, project]) => project.type === 'application');
    expect(applications.map(([name]) => name).sort()).toEqual(deployables.sort());
    for (const [name, project] of applications) {
      // Paths are from the repository root, as the one-pass build lays dist/ out (dist/apps/<app>/src/main.js).
      expect(project.entryFile).toBe(`apps/${name}/src/main`);
      expect(existsSync(join(root, `${project.entryFile}.ts`))).toBe(true);
      expect(existsSync(join(root, project.compilerOptions!.tsConfigPath!))).toBe(true);
    }
  });

  it('names every library by its folder', () => {
    const libraries = Object.entries(nestCli.projects).filter(([, project]) => project.type === 'library');
    expect(libraries.map(([name]) => name).sort()).toEqual(readdirSync(join(root, 'libs')).sort());
    for (const [name, project] of libraries) {
      expect(project.root).toBe(`libs/${name}`);
      expect(existsSync(join(root, project.sourceRoot, `${project.entryFile}.ts`))).toBe(true);
    }
  });

  it('builds an app with `nest build <app>` into the layout `nest start` runs', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'kv-nest-build-'));
    const tsconfig = join(outDir, 'tsconfig.json');
    try {
      // The app's own tsconfig, writing elsewhere than dist/ (which other tests run from).
      const compilerOptions = { outDir, typeRoots: [join(root, 'node_modules/@types')] };
      writeFileSync(tsconfig, JSON.stringify({ extends: join(root, 'apps/audit/tsconfig.app.json'), compilerOptions }));
      execFileSync(join(root, 'node_modules/.bin/nest'), ['build', 'audit', '--path', relative(root, tsconfig)], {
        cwd: root,
        stdio: 'pipe',
      });
      expect(existsSync(join(outDir, 'apps/audit/src/main.js'))).toBe(true);
      expect(existsSync(join(outDir, 'libs/contracts/src/index.js'))).toBe(true);
      expect(readdirSync(join(outDir, 'apps')).sort()).toEqual(['audit']);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
