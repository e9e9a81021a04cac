"use client";

import { Button, ErrorState } from "@/components/ui";

export default function PortalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <ErrorState title="This page could not be loaded">
      <p>
        The server could not answer. Check that Postgres and Redis are up (/api/health), then try again.
        {error.digest ? ` Reference: ${error.digest}.` : ""}
      </p>
      <Button onClick={reset}>Try again</Button>
    </ErrorState>
  );
}
