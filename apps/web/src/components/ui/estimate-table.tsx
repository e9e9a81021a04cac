import type { PeriodEstimate } from "@meterplane/invoicing";

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A current period rated as its invoice will be: the same lines (flat fees, usage, minimums) and total, as
 * the portal and the tenant pages both show it.
 */
export function EstimateTable({ estimate, testId }: { estimate: PeriodEstimate; testId?: string }) {
  return (
    <table data-testid={testId}>
      <caption>
        {estimate.plan}, period {day(estimate.period.start)} to {day(estimate.period.end)}
      </caption>
      <thead>
        <tr>
          <th>Line</th>
          <th>Quantity</th>
          <th>Unit price</th>
          <th>Amount ({estimate.currency})</th>
        </tr>
      </thead>
      <tbody>
        {estimate.lines.map((line) => (
          <tr key={line.position}>
            <td>{line.description}</td>
            <td>{line.quantity}</td>
            <td>{line.unitPrice}</td>
            <td>{line.amount}</td>
          </tr>
        ))}
        <tr>
          <th colSpan={3}>Total</th>
          <th>{estimate.total}</th>
        </tr>
      </tbody>
    </table>
  );
}
