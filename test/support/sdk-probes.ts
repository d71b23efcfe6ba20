/** Per-template: does the vendor's official SDK see fixture data in this clone? */
import { WebClient } from '@slack/web-api';
import Stripe from 'stripe';
import { Octokit } from '@octokit/rest';
import { Client as HubSpot } from '@hubspot/api-client';
import { Client as Notion, collectPaginatedAPI } from '@notionhq/client';
import { LinearClient } from '@linear/sdk';

type Clone = { endpoints: { api: string }; tokens: { botToken: string; userToken: string } };

export async function sdkSees(template: string, clone: Clone): Promise<boolean> {
  const url = new URL(clone.endpoints.api);
  switch (template) {
    case 'slack': {
      const slack = new WebClient(clone.tokens.userToken, { slackApiUrl: `${clone.endpoints.api}/api/`, retryConfig: { retries: 0 } });
      const users = await slack.users.list({ limit: 200 });
      const channels = await slack.conversations.list({ types: 'public_channel', limit: 200 });
      return (users.members ?? []).length > 10 && (channels.channels ?? []).length > 3;
    }
    case 'stripe': {
      const stripe = new Stripe(clone.tokens.botToken, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
      const customers = await stripe.customers.list({ limit: 100 });
      const invoices = await stripe.invoices.list({ limit: 100 });
      return customers.data.length > 5 && invoices.data.length > 3;
    }
    case 'github': {
      const octokit = new Octokit({ auth: clone.tokens.userToken, baseUrl: clone.endpoints.api });
      const repos = await octokit.paginate(octokit.rest.repos.listForAuthenticatedUser, { per_page: 100 });
      return repos.length > 3;
    }
    case 'hubspot': {
      const hs = new HubSpot({ accessToken: clone.tokens.botToken, basePath: clone.endpoints.api, numberOfApiCallRetries: 0 });
      const contacts = await hs.crm.contacts.basicApi.getPage(100);
      const deals = await hs.crm.deals.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: 'EQ' as never, value: 'closedwon' }] }], limit: 10 });
      const assoc = await hs.crm.associations.v4.basicApi.getPage('contacts', contacts.results[0]?.id ?? '0', 'companies').catch(() => ({ results: [] }));
      return contacts.results.length === 100 && deals.total > 3 && assoc.results.length > 0;
    }
    case 'notion': {
      const notion = new Notion({ auth: clone.tokens.botToken, baseUrl: clone.endpoints.api, maxRetries: 0 } as never);
      const sources = await notion.search({ filter: { property: 'object', value: 'data_source' } });
      const tasks = sources.results.find((s) => (s as { title?: Array<{ plain_text: string }> }).title?.[0]?.plain_text === 'Tasks');
      if (!tasks) return false;
      const rows = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: tasks.id, page_size: 15 } as never);
      const users = await notion.users.list({});
      return rows.length === 40 && users.results.length >= 7;
    }
    case 'linear': {
      const linear = new LinearClient({ apiKey: clone.tokens.botToken, apiUrl: `${clone.endpoints.api}/graphql` });
      const issues = await linear.issues({ first: 250 });
      const teams = await linear.teams();
      return issues.nodes.length === 200 && teams.nodes.length === 3;
    }
    default:
      throw new Error(`no SDK probe for template ${template}`);
  }
}
