/**
 * One suite, two engines on this machine: the lifecycle suite (test/support/lifecycle.ts)
 * once against this machine's Docker (LocalDockerProvider) and once through a control plane
 * (asym serve on loopback, CloudProvider behind ASYM_REMOTE). test/swarm/swarm.test.ts runs
 * the same suite through a control plane on a two-node Docker Swarm.
 */
import { asym } from '../support/cli.ts';
import { describeDocker, labelled } from '../support/docker.ts';
import { tempHome } from '../support/home.ts';
import { lifecycleSuite, type Engine } from '../support/lifecycle.ts';
import { serveHarness } from '../support/serve.ts';

const LOOPBACK = /^http:\/\/127\.0\.0\.1:\d+$/;
const leftovers = async (id: string) => Object.values(await labelled(id)).flat();

async function localEngine(): Promise<Engine> {
  const home = tempHome('asym-both-local');
  const env = { ASYM_HOME: home.dir, ASYM_REMOTE: '' };
  return {
    run: (args) => asym(args, env),
    env,
    api: LOOPBACK,
    leftovers,
    async cleanup() {
      const ls = await asym(['ls', '--json'], env);
      for (const c of (ls.json ?? []) as { id: string }[]) await asym(['destroy', c.id, '--yes', '--json'], env);
      home.restore();
    },
  };
}

async function remoteEngine(): Promise<Engine> {
  const h = serveHarness('both');
  await h.start();
  const key = await h.key('both');
  return { run: (args) => h.run(key, args), env: { ASYM_HOME: h.clientHome, ASYM_REMOTE: h.url, ASYM_REMOTE_TOKEN: key }, api: LOOPBACK, leftovers, cleanup: () => h.cleanup() };
}

lifecycleSuite('local', localEngine, describeDocker);
lifecycleSuite('remote', remoteEngine, describeDocker);
