import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { roles, type Role } from '#shared/auth/roles.ts';
import { residenceAttribute } from '#shared/auth/residency.ts';
import type { BundledFunction } from '../bundle.ts';
import type { Config } from '../config.ts';
import { functionAlarms } from '../constructs/alarms.ts';
import { HromadaFunction } from '../constructs/hromada-function.ts';

export interface AuthStackProps extends StackProps {
  readonly config: Config;
  /** The bundle of functions/auth/pre-token-generation.ts (absent: no trigger, e.g. unit tests of the pool alone). */
  readonly preTokenGeneration?: BundledFunction;
  /** Where the trigger's alarms go (the Alerts stack's ops topic). */
  readonly opsTopic?: sns.ITopic;
}

const groupDescriptions: Record<Role, string> = {
  citizen: 'Residents: sign petitions, answer consultations, vote in the public budget',
  moderator: 'Moderate petitions and projects',
  council: 'Council members and secretariat: threshold alerts, responses to petitions',
  'school-admin': 'School administrators: school budgets and student codes',
};

/** What the API's TOKEN authorizer trusts (AUTH_ISSUER, AUTH_JWKS_URL, AUTH_AUDIENCE). */
export interface TokenIssuer {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly audience: string;
}

/**
 * Sign-in. Citizens' accounts come from the national identity provider (BankID/Diia style OIDC),
 * federated into this user pool; staff accounts (moderators, council, school admins) are created by
 * an administrator. So self sign-up is off: nobody can invent a resident. Roles are the pool's
 * groups (`cognito:groups` in the ID token), the community is the custom attribute
 * `custom:community`, `birthdate` and `name` are standard attributes.
 *
 * Tokens: the API expects the ID token (it carries groups, community, birthdate and name; its `aud`
 * is the app client id). The client is OAuth-only (authorization code + PKCE through the managed
 * login, which needs `authDomainPrefix`), without the `aws.cognito.signin.user.admin` scope, so a
 * user cannot rewrite their own attributes (birthdate decides who may vote).
 *
 * A city with its own OIDC issuer instead sets context authIssuer/authJwksUrl/authAudience; the pool
 * is still created (staff accounts) but the authorizer trusts the external issuer.
 */
export class AuthStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly tokenIssuer: TokenIssuer;
  readonly preTokenGeneration?: HromadaFunction;

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);
    const { config } = props;
    const plus = config.cognitoFeaturePlan === 'plus';

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `hromada-${config.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: false, mutable: true },
        fullname: { required: false, mutable: true },
        birthdate: { required: false, mutable: true },
      },
      customAttributes: {
        // Mutable because Cognito maps an identity provider's claim (the registered address of the
        // national ID) only onto mutable attributes, on every federated sign-in. Users cannot write
        // it themselves: the app client has no aws.cognito.signin.user.admin scope, so only an
        // administrator or the provider's mapping sets it. Cannot be changed after the first deploy.
        community: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        // The school a school administrator manages (set by `npm run ops -- add-staff --school`).
        school: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        // Where the identity provider registers a person (its residency claim, stage `residency`);
        // the pre-token-generation trigger turns it into custom:community and the citizen group.
        [residenceAttribute]: new cognito.StringAttribute({ minLen: 1, maxLen: 256, mutable: true }),
        // The national identifier the provider attests (its `nationalIdClaim`): budget voter markers
        // are keyed on it (never stored in the table), so online and paper voting share one marker.
        national_id: new cognito.StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
      },
      // Required, TOTP only. It applies to users who sign in with a Cognito password: staff (the
      // pool has no self sign-up; add-staff creates them). Federated citizens authenticate at the
      // identity provider and never meet Cognito MFA.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const role of roles) {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: groupDescriptions[role] });
    }

    const identityProviders: cognito.UserPoolClientIdentityProvider[] = [cognito.UserPoolClientIdentityProvider.COGNITO];
    let federation: cognito.UserPoolIdentityProviderOidc | undefined;
    if (config.oidcProvider) {
      const provider = config.oidcProvider;
      federation = new cognito.UserPoolIdentityProviderOidc(this, 'NationalIdProvider', {
        userPool: this.userPool,
        name: provider.name,
        issuerUrl: provider.issuerUrl,
        clientId: provider.clientId,
        // A CloudFormation dynamic reference: resolved by CloudFormation at deploy time, never
        // written into the template or read at synth.
        clientSecret: SecretValue.secretsManager(provider.clientSecretArn, {
          ...(provider.clientSecretJsonField ? { jsonField: provider.clientSecretJsonField } : {}),
        }).unsafeUnwrap(),
        scopes: provider.scopes,
        attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
        attributeMapping: {
          fullname: cognito.ProviderAttribute.other('name'),
          birthdate: cognito.ProviderAttribute.other('birthdate'),
          email: cognito.ProviderAttribute.other('email'),
          custom: {
            'custom:national_id': cognito.ProviderAttribute.other(provider.nationalIdClaim),
            ...(config.residency ? { [`custom:${residenceAttribute}`]: cognito.ProviderAttribute.other(config.residency.providerClaim) } : {}),
          },
        },
      });
      identityProviders.push(cognito.UserPoolClientIdentityProvider.custom(provider.name));
    }

    this.client = this.userPool.addClient('WebClient', {
      userPoolClientName: `hromada-${config.stage}-web`,
      generateSecret: false,
      // OAuth only: no USER_SRP/USER_PASSWORD on this client (refresh tokens still work).
      authFlows: { userSrp: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: config.authCallbackUrls,
        logoutUrls: config.authLogoutUrls,
      },
      supportedIdentityProviders: identityProviders,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      // Federation writes the mapped attributes on every sign-in, which needs write access for this
      // client; without the admin scope users themselves still cannot change them.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true, birthdate: true }).withCustomAttributes('community', residenceAttribute, 'national_id'),
    });
    if (federation) this.client.node.addDependency(federation);

    if (props.preTokenGeneration) {
      this.preTokenGeneration = new HromadaFunction(this, 'PreTokenGeneration', {
        codeDir: props.preTokenGeneration.dir,
        description: 'Cognito pre-token-generation (V2): community and citizen role of federated residents',
        config,
        memorySize: 512,
        timeout: Duration.seconds(5),
        environment: { RESIDENCY: JSON.stringify(config.residency ?? null) },
      });
      // Its failure locks every federated citizen out: the ops topic hears of it.
      if (props.opsTopic) {
        functionAlarms(new Construct(this.preTokenGeneration, 'Alarms'), `hromada-${config.stage}-pre-token-generation`, this.preTokenGeneration.function, props.opsTopic);
      }
      // V2_0: the event that can change groups and claims of ID and access tokens.
      this.userPool.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, this.preTokenGeneration.function, cognito.LambdaVersion.V2_0);
    }

    if (config.authDomainPrefix) {
      this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: config.authDomainPrefix } });
    }

    const poolIssuer = this.userPool.userPoolProviderUrl; // https://cognito-idp.<region>.amazonaws.com/<poolId>
    this.tokenIssuer = config.authIssuer
      ? {
          issuer: config.authIssuer,
          jwksUrl: config.authJwksUrl ?? `${config.authIssuer.replace(/\/$/, '')}/.well-known/jwks.json`,
          audience: config.authAudience ?? '',
        }
      : { issuer: poolIssuer, jwksUrl: `${poolIssuer}/.well-known/jwks.json`, audience: this.client.userPoolClientId };

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.client.userPoolClientId });
    new CfnOutput(this, 'TokenIssuer', { value: this.tokenIssuer.issuer });

    if (!plus) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'Essentials tier on purpose: Plus-tier threat protection evaluates Cognito-local password sign-ins, and here those are ' +
          'only a handful of admin-created staff accounts (strong password policy, TOTP required); citizens sign in federated. ' +
          'Plus would bill every monthly active citizen. Set context cognitoFeaturePlan=plus to enable it (threat protection ENFORCED).',
      });
    }
  }
}
