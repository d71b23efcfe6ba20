/**
 * @hubspot/api-client generates DefinitionConfigurationsApi (association limits) but its
 * Client does not expose it (`crm.associations.v4.schema` has only definitionsApi): build it
 * as the SDK builds its other APIs, from the same configuration a Client would use.
 */
import { createConfiguration, DefinitionConfigurationsApi, ServerConfiguration } from '@hubspot/api-client/lib/codegen/crm/associations/v4/schema/index';
import { Observable } from '@hubspot/api-client/lib/codegen/crm/associations/v4/schema/rxjsStub';
import { ApiClientConfigurator } from '@hubspot/api-client/lib/src/configuration/ApiClientConfigurator';

export function definitionConfigurationsApi(accessToken: string, basePath: string): DefinitionConfigurationsApi {
  const params = ApiClientConfigurator.getParams({ accessToken, basePath, numberOfApiCallRetries: 0 }, ServerConfiguration, Observable, Observable);
  return new DefinitionConfigurationsApi(createConfiguration(params as never));
}
