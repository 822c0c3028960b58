// Which platforms this build can sign, from the environment electron-builder reads.

/** Suffix of every artifact built without a code-signing certificate. */
export const UNSIGNED_SUFFIX = '-UNSIGNED';

/** @param {Record<string, string | undefined>} env */
export function signingPlan(env) {
  const has = (name) => typeof env[name] === 'string' && env[name].trim() !== '';
  const azure = has('AZURE_TENANT_ID') && has('AZURE_CLIENT_ID') && (has('AZURE_CLIENT_SECRET') || has('AZURE_CLIENT_CERTIFICATE_PATH'));
  return {
    win: has('WIN_CSC_LINK') || has('CSC_LINK') || azure,
    mac: has('CSC_LINK') || has('CSC_NAME'),
    macNotarize: (has('APPLE_API_KEY') && has('APPLE_API_KEY_ID') && has('APPLE_API_ISSUER')) || (has('APPLE_ID') && has('APPLE_APP_SPECIFIC_PASSWORD') && has('APPLE_TEAM_ID')) || (has('APPLE_KEYCHAIN') && has('APPLE_KEYCHAIN_PROFILE')),
  };
}

/** The artifact name of an unsigned build: the product, version, OS and arch, then -UNSIGNED. */
export function unsignedArtifactName(base) {
  return base.replace(/\.\$\{ext\}$/, `${UNSIGNED_SUFFIX}.\${ext}`);
}
