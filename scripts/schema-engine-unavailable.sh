#!/bin/sh
echo "schema engine not available offline: migrations are applied by 'npm run migrate' (packages/db)" >&2
exit 1
