import { EmptyState } from "@/components/ui";

export default function NotFound() {
  return (
    <EmptyState title="Not found">
      It may have been removed. Go back to the list and pick it again.
    </EmptyState>
  );
}
