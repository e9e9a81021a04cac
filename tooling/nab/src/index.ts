export * from "./corpus.ts";
export * from "./published-scores.ts";
export * from "./score-corpus.ts";
export * from "./sweep.ts";
