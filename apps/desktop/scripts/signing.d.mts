export declare const UNSIGNED_SUFFIX: string;
export declare function signingPlan(env: Record<string, string | undefined>): { win: boolean; mac: boolean; macNotarize: boolean };
export declare function unsignedArtifactName(base: string): string;
