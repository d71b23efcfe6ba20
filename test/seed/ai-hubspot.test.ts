/** AI seeding of a real HubSpot clone, read back through @hubspot/api-client. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { Client } from '@hubspot/api-client';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { startFakeAnthropic } from '../support/fake-anthropic.ts';

const records = {
  companies: [
    { name: 'Globex', domain: 'globex.test', industry: 'Energy', numberofemployees: 1200 },
    { name: 'Initech', domain: 'initech.test', city: 'Austin' },
    { name: 'Bad Co', domain: 'Not A Domain' },
  ],
  contacts: [
    { email: 'hank@globex.test', firstname: 'Hank', lastname: 'Scorpio', jobtitle: 'CEO', company: 'Globex', lifecyclestage: 'customer' },
    { email: 'peter@initech.test', firstname: 'Peter', company: 'initech.test' },
    { email: 'nobody@nowhere.test', firstname: 'Nobody', company: 'No Such Company' },
    { email: 'not-an-email', firstname: 'X' },
  ],
  deals: [
    { dealname: 'Globex doomsday device', amount: 250000, dealstage: 'contractsent', closedate: '2026-03-31', company: 'Globex', contacts: ['hank@globex.test'] },
    { dealname: 'Initech TPS reports', amount: 1200.5, dealstage: 'closedwon', company: 'Initech' },
    { dealname: 'Ghost deal', dealstage: 'negotiation' },
    { dealname: 'Orphan deal', dealstage: 'qualifiedtobuy', contacts: ['ghost@nowhere.test'] },
  ],
};

const h = cloneHarness('aihubspot');
const fake = startFakeAnthropic({ key: 'test-key', models: ['claude-haiku-4-5'], records });
afterAll(async () => {
  fake.stop();
  await h.cleanup();
}, 180_000);

describeDocker('AI seeding a HubSpot clone', () => {
  let clone: any;
  beforeAll(async () => {
    clone = await h.spin('hubspot');
  }, 300_000);

  test('valid records are written with associations; invalid and dangling ones are rejected', async () => {
    const r = await h.run(['seed', clone.id, '--ai', '--json'], { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url });
    expect(r.code).toBe(0);
    // written: 2 companies, 2 contacts, 2 deals; rejected: 1 company, 1 contact, 1 deal (schema),
    // 1 contact and 1 deal (clone: unknown company / contact)
    expect(r.json.bySource.ai).toEqual({ written: 6, rejected: 5 });
    expect(r.json.rejections.filter((x: any) => x.entity === 'contacts').map((x: any) => x.reason).join()).toMatch(/No Such Company/);
    expect(r.json.rejections.filter((x: any) => x.entity === 'deals').map((x: any) => x.reason).join()).toMatch(/ghost@nowhere.test/);
    expect(fake.requests.map((q) => q.tool)).toEqual(['write_companies', 'write_contacts', 'write_deals']);
    const dealPrompt = fake.requests.find((q) => q.tool === 'write_deals')!.body.messages[0].content;
    expect(dealPrompt).toContain('hank@globex.test');
    expect(dealPrompt).toContain('Globex');

    const hs = new Client({ accessToken: clone.tokens.botToken, basePath: clone.endpoints.api, numberOfApiCallRetries: 0 });
    const hank = await hs.crm.contacts.basicApi.getById('hank@globex.test', ['jobtitle', 'company', 'lifecyclestage'], undefined, ['companies', 'deals'], false, 'email');
    expect(hank.properties).toMatchObject({ jobtitle: 'CEO', company: 'Globex', lifecyclestage: 'customer' });
    expect(hank.associations!.companies!.results.map((a) => a.type).sort()).toEqual(['contact_to_company', 'contact_to_company_unlabeled']);
    expect(hank.associations!.deals!.results).toHaveLength(1);
    const deals = await hs.crm.deals.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: 'EQ' as never, value: 'closedwon' }] }], properties: ['amount', 'hs_deal_stage_probability'] });
    expect(deals.results.map((d) => [d.properties.amount, d.properties.hs_deal_stage_probability])).toEqual([['1200.5', '1.0']]);
    const globex = await hs.crm.companies.searchApi.doSearch({ query: 'globex', properties: ['numberofemployees'] });
    expect(globex.results[0]!.properties.numberofemployees).toBe('1200');
    const hist = await hs.crm.contacts.basicApi.getById(hank.id, ['email'], ['email']);
    expect(hist.propertiesWithHistory!.email![0]!.sourceType).toBe('IMPORT');
  }, 60_000);
});
