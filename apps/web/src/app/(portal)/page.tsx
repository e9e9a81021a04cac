import { services } from "@/lib/server";

export const dynamic = "force-dynamic";

export default async function EnvironmentsPage() {
  const environments = await services().db.prisma.environment.findMany({
    where: { removedAt: null },
    include: { tenant: true, host: true },
    orderBy: [{ tenant: { name: "asc" } }, { name: "asc" }],
    take: 200,
  });
  return (
    <>
      <h1>Environments</h1>
      {environments.length === 0 ? (
        <p className="empty">No environments yet. Add a host and an environment to start metering.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Environment</th>
              <th>Tenant</th>
              <th>Host</th>
              <th>Kind</th>
              <th>Selector</th>
            </tr>
          </thead>
          <tbody>
            {environments.map((env) => (
              <tr key={env.id}>
                <td>
                  <a href={`/environments/${env.id}`}>{env.name}</a>
                </td>
                <td>{env.tenant.name}</td>
                <td>{env.host.name}</td>
                <td>{env.kind}</td>
                <td>
                  <code>{env.selector}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
