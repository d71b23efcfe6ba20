/** The engine, Compose v2 and a locally built image, end to end, with nothing left behind. */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseImages } from '../../src/config.ts';
import { composeDown, composeUp, composePs } from '../../src/docker/compose.ts';
import { docker } from '../../src/docker/spawn.ts';
import { allocatePorts } from '../../src/docker/ports.ts';
import { describeDocker, labelled, uniqueName } from '../support/docker.ts';

const id = uniqueName('smoke');
const dir = mkdtempSync(join(tmpdir(), 'asym-smoke-'));
const tag = `asym-test/${id}:1`;

afterAll(async () => {
  await composeDown(`asym-${id}`);
  await docker(['image', 'rm', '-f', tag], { allowFailure: true });
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describeDocker('docker smoke', () => {
  test('a locally built image, run through compose with the asym.clone label, answers on 127.0.0.1 and leaves nothing', async () => {
    writeFileSync(join(dir, 'server.ts'), `Bun.serve({ port: 8080, fetch: () => new Response('smoke:' + process.env.WHO) });`);
    writeFileSync(join(dir, 'Dockerfile'), `ARG BUN_IMAGE\nFROM \${BUN_IMAGE}\nCOPY server.ts /srv/server.ts\nCMD ["bun", "/srv/server.ts"]\n`);
    const buildkit = (await docker(['buildx', 'version'], { allowFailure: true })).code === 0;
    await docker(['build', '-q', '--build-arg', `BUN_IMAGE=${baseImages().bun}`, '--label', `asym.clone=${id}`, '-t', tag, dir], { env: buildkit ? {} : { DOCKER_BUILDKIT: '0' } });

    const port = allocatePorts(['web'], { from: 43000, to: 43999 }, new Set(), false).web!;
    const model = {
      name: `asym-${id}`,
      services: { web: { image: tag, environment: { WHO: id }, ports: [`127.0.0.1:${port}:8080`], labels: { 'asym.clone': id }, networks: ['net'] } },
      networks: { net: { labels: { 'asym.clone': id } } },
      volumes: { data: { labels: { 'asym.clone': id } } },
    };
    const file = join(dir, 'compose.json');
    writeFileSync(file, JSON.stringify(model));
    await composeUp(`asym-${id}`, file);

    let body = '';
    for (let i = 0; i < 100 && !body; i++) {
      body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()).catch(() => '');
      if (!body) await Bun.sleep(50);
    }
    expect(body).toBe(`smoke:${id}`);
    const ps = await composePs(`asym-${id}`);
    expect(ps.map((p) => p.State)).toEqual(['running']);
    const during = await labelled(id);
    expect(during.containers).toHaveLength(1);
    expect(during.networks).toHaveLength(1);

    await composeDown(`asym-${id}`);
    expect(await labelled(id)).toEqual({ containers: [], networks: [], volumes: [] });
  }, 120_000);
});
