export * from "./corpus.ts";
export * from "./score-corpus.ts";
export * from "./sweep.ts";
