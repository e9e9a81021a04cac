import type { ButtonHTMLAttributes, ReactNode } from "react";

export type ButtonVariant = "primary" | "secondary" | "danger";

export function Button({
  variant = "primary",
  className,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  return <button type="button" {...props} className={`btn btn-${variant} ${className ?? ""}`} />;
}

export function LinkButton({
  href,
  variant = "secondary",
  children,
  download,
}: {
  href: string;
  variant?: ButtonVariant;
  children: ReactNode;
  download?: boolean;
}) {
  return (
    <a href={href} className={`btn btn-${variant}`} download={download}>
      {children}
    </a>
  );
}
