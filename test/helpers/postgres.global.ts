/**
 * vitest globalSetup: PostgreSQL for the storage contract tests. With NEWSBRIEF_TEST_DATABASE_URL set (`.ci/run`
 * sets it) it does nothing. Otherwise, when the server binaries are installed, it starts a throwaway cluster for
 * the run and stops it at the end; when they are not, the PostgreSQL runs are skipped, saying so in one line,
 * except under CI, where a missing PostgreSQL fails the run.
 */
import type { TestProject } from 'vitest/node';
import { type Cluster, serverBinaries, startCluster, TEST_DATABASE_URL } from './postgres.ts';

/** Test files that need PostgreSQL: the contract suite and the backend's own tests. */
const NEEDS_POSTGRES =
  /(^|\/)(test\/storage\/contract|test\/storage\/migrate|test\/jobs|test\/scale|storage\/postgres)\//;

let cluster: Cluster | null = null;

/** Whether this run includes a file that needs PostgreSQL (a run of other files need not start a server). */
async function runNeedsPostgres(project: TestProject): Promise<boolean> {
  // vitest keeps the command line's file filters here; without any, the whole suite runs.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  if (!Array.isArray(filters) || filters.length === 0) return true;
  const { testFiles } = await project.globTestFiles(filters);
  return testFiles.some((file) => NEEDS_POSTGRES.test(file.replaceAll('\\', '/')));
}

export async function setup(project: TestProject): Promise<void> {
  if (process.env[TEST_DATABASE_URL]) return;
  if (!(await runNeedsPostgres(project))) return;
  const bin = serverBinaries();
  if (!bin) {
    const how = `install PostgreSQL's server (apt-get install postgresql) or set ${TEST_DATABASE_URL}=postgres://…`;
    if (process.env.CI) throw new Error(`CI: the storage contract tests need PostgreSQL: ${how}`);
    process.stdout.write(
      `PostgreSQL contract runs skipped: no server in /usr/lib/postgresql/*/bin; to run them, ${how}\n`,
    );
    return;
  }
  const started = Date.now();
  cluster = await startCluster(bin);
  process.env[TEST_DATABASE_URL] = cluster.url;
  // Stopped by teardown; this covers a run that ends without it (an interrupted run).
  process.once('exit', () => cluster?.stop());
  process.stdout.write(
    `PostgreSQL: a throwaway cluster from ${bin} on 127.0.0.1:${cluster.port} (started in ${Date.now() - started} ms)\n`,
  );
}

export function teardown(): void {
  cluster?.stop();
  cluster = null;
}
