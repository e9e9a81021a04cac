import { logIn } from "@meterplane/access";
import { isAppError } from "@meterplane/core";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { services } from "@/lib/server";
import { sessionCookie } from "@/lib/session";

async function login(form: FormData) {
  "use server";
  try {
    const { token, expiresAt } = await logIn({
      db: services().db,
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    (await cookies()).set(sessionCookie, token, {
      httpOnly: true,
      sameSite: "lax",
      secure: process.env.NODE_ENV === "production" && process.env.MP_INSECURE_COOKIES !== "1",
      expires: expiresAt,
      path: "/",
    });
  } catch (error) {
    if (isAppError(error)) redirect("/login?error=1");
    throw error;
  }
  redirect("/");
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <main>
      <h1>Sign in to Meterplane</h1>
      {error ? <p className="error">Wrong email or password. Check both and try again.</p> : null}
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
    </main>
  );
}
