"use client";

import { useRef, useState } from "react";
import { Button } from "./button";

/**
 * A shell command in a box, with a button that puts it on the clipboard exactly as shown. Where the page
 * is not a secure context (plain HTTP off localhost) browsers have no clipboard API: the command is
 * selected instead, for Ctrl-C.
 */
export function CopyCommand({ command }: { command: string }) {
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLPreElement>(null);
  return (
    <div className="command">
      <pre data-testid="command" ref={box}>
        {command}
      </pre>
      <Button
        type="button"
        variant="secondary"
        onClick={() => {
          if (navigator.clipboard) void navigator.clipboard.writeText(command).then(() => setCopied(true));
          else if (box.current) window.getSelection()?.selectAllChildren(box.current);
        }}
      >
        {copied ? "Copied" : "Copy"}
      </Button>
    </div>
  );
}
