import { logIn } from "@meterplane/access";
import { isAppError } from "@meterplane/core";
import { queuePrefix } from "@meterplane/queue";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { clientAddress } from "@/lib/client-address";
import { secureCookies } from "@/lib/env";
import { loginThrottle } from "@/lib/login-throttle";
import { services } from "@/lib/server";
import { sessionCookie } from "@/lib/session";

const credentials = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1024),
});

/** Remembers that this browser signed in to an account, so limits on that account do not slow it. */
const deviceCookie = "mp_device";

async function login(form: FormData) {
  "use server";
  const input = credentials.safeParse({ email: form.get("email"), password: form.get("password") });
  if (!input.success) redirect("/login?error=invalid");
  const throttle = loginThrottle(services().redis, queuePrefix());
  const jar = await cookies();
  const attempt = { email: input.data.email, address: clientAddress(await headers()) };
  try {
    await throttle.check({ ...attempt, device: jar.get(deviceCookie)?.value });
    const { token, expiresAt } = await logIn({ db: services().db, ...input.data }).catch(async (error) => {
      if (isAppError(error) && error.code === "UNAUTHENTICATED") await throttle.failed(attempt);
      throw error;
    });
    const cookie = { httpOnly: true, sameSite: "lax", secure: secureCookies(), path: "/" } as const;
    jar.set(sessionCookie, token, { ...cookie, expires: expiresAt });
    const { device, maxAgeSeconds } = await throttle.succeeded(attempt);
    jar.set(deviceCookie, device, { ...cookie, maxAge: maxAgeSeconds });
  } catch (error) {
    if (isAppError(error)) redirect(`/login?error=${loginErrors[error.code] ?? "invalid"}`);
    throw error;
  }
  redirect("/");
}

const loginErrors: Partial<Record<string, string>> = { RATE_LIMITED: "limited", FORBIDDEN: "suspended" };

const messages: Record<string, string> = {
  invalid: "Wrong email or password. Check both and try again.",
  suspended: "Your organisation's access is suspended. Ask your provider to reactivate it.",
  limited:
    "Too many attempts. Wait a little (at most 15 minutes) and try again, or ask an owner to reset your password.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <div className="login">
      <h1>Sign in to Meterplane</h1>
      {error ? (
        <p className="error" role="alert">
          {messages[error] ?? messages.invalid}
        </p>
      ) : null}
      <form className="stack" action={login}>
        <input name="email" type="email" placeholder="Email" autoComplete="username" required />
        <input
          name="password"
          type="password"
          placeholder="Password"
          autoComplete="current-password"
          required
        />
        <button type="submit">Sign in</button>
      </form>
    </div>
  );
}
