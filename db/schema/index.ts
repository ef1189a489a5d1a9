export * from "./auth";
export * from "./audit";
export * from "./security";
export * from "./settings";
export * from "./engine";
export * from "./monitoring";
export * from "./billing";
export * from "./lease";
