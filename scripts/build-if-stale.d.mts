export declare const BUILD_STAMP: string;
export declare function buildStatus(root: string): { stale: boolean; reason: string };
