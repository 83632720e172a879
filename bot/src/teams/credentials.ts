import { ServiceClientCredentialsFactory, type ServiceClientCredentials } from 'botframework-connector';
import type { Logger } from '../log';
import { createTokenSource, type AppCredential } from '../auth/msal';

/** The Bot Framework's token audience for calls from the bot to the channel. */
export const BOT_FRAMEWORK_RESOURCE = 'https://api.botframework.com';

/**
 * Outbound tokens (bot → Bot Connector) for a single-tenant bot, through the same MSAL token path
 * as Graph: a local authority works exactly like login.microsoftonline.com, only the URL differs.
 * botbuilder also asks it whether an incoming token's audience is our app id.
 */
export class MsalBotCredentialsFactory extends ServiceClientCredentialsFactory {
  private readonly sources = new Map<string, () => Promise<string>>();

  constructor(private readonly d: { appId: string; tenantId: string; credential: AppCredential; authorityHost: string; log: Logger; fetch?: typeof fetch }) {
    super();
  }

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.d.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  async createCredentials(appId: string, audience: string | undefined): Promise<ServiceClientCredentials> {
    if (appId !== this.d.appId) throw new Error(`no credentials for app id ${appId}`);
    const resource = (audience || BOT_FRAMEWORK_RESOURCE).replace(/\/\.default$/, '').replace(/\/+$/, '');
    let token = this.sources.get(resource);
    if (!token) {
      token = createTokenSource({ tenantId: this.d.tenantId, clientId: appId, credential: this.d.credential, authorityHost: this.d.authorityHost, resource },
        { log: this.d.log, ...(this.d.fetch ? { fetch: this.d.fetch } : {}) });
      this.sources.set(resource, token);
    }
    const source = token;
    return {
      async signRequest(webResource) {
        webResource.headers.set('authorization', `Bearer ${await source()}`);
        return webResource;
      },
    };
  }
}
