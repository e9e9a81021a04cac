import { logIn } from "@meterplane/access";
import { isAppError } from "@meterplane/core";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { clientAddress, rateLimit } from "@/lib/rate-limit";
import { services } from "@/lib/server";
import { sessionCookie } from "@/lib/session";

const credentials = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1024),
});

/** Ten attempts per email and address per quarter hour: slows guessing without locking out the real owner. */
const loginLimit = { scope: "login", limit: 10, windowSeconds: 900 };

async function login(form: FormData) {
  "use server";
  const input = credentials.safeParse({ email: form.get("email"), password: form.get("password") });
  if (!input.success) redirect("/login?error=invalid");
  try {
    await rateLimit({ ...loginLimit, key: `${input.data.email}|${clientAddress(await headers())}` });
    const { token, expiresAt } = await logIn({ db: services().db, ...input.data });
    (await cookies()).set(sessionCookie, token, {
      httpOnly: true,
      sameSite: "lax",
      secure: process.env.NODE_ENV === "production" && process.env.MP_INSECURE_COOKIES !== "1",
      expires: expiresAt,
      path: "/",
    });
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
  limited: "Too many attempts. Wait 15 minutes, or ask an owner to reset your password.",
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
