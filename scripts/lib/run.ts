import { spawn } from "node:child_process";

export const repoRoot = new URL("../..", import.meta.url).pathname;

/** Runs a command with inherited output; resolves on exit 0, rejects naming the step otherwise. */
export function runStep(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = repoRoot,
): Promise<void> {
  console.log(`\n▶ ${name}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

export const bin = (name: string) => `${repoRoot}node_modules/.bin/${name}`;
