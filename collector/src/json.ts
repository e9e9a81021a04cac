/** JSON.parse for files we wrote ourselves: damaged text is "no value", any other failure is a bug. */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
