import type { EstimatedLine } from "@meterplane/billing";

export interface Estimate {
  plan: string;
  currency: string;
  total: string;
  lines: EstimatedLine[];
}

/** An estimate's lines and total, as the portal and the tenant pages both show it. */
export function EstimateTable({ estimate, testId }: { estimate: Estimate; testId?: string }) {
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th>Metric</th>
          <th>Quantity</th>
          <th>Unit price</th>
          <th>Amount ({estimate.currency})</th>
        </tr>
      </thead>
      <tbody>
        {estimate.lines.map((line) => (
          <tr key={line.metric}>
            <td>{line.metric}</td>
            <td>
              {line.quantity} {line.unit}
            </td>
            <td>{line.unitPrice}</td>
            <td>{line.amount}</td>
          </tr>
        ))}
        <tr>
          <th colSpan={3}>Total ({estimate.plan})</th>
          <th>{estimate.total}</th>
        </tr>
      </tbody>
    </table>
  );
}
