export declare const peerAddressHeader: "x-tc-peer-address";
export declare const peerStampSecretEnv: "TC_PEER_STAMP_SECRET";
export declare function installPeerStampSecret(): void;
export declare function ensurePeerStampSecret(): void;
export declare function peerStamp(address: string): string;
